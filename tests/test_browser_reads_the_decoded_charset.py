"""Browser mode reads a page in the charset the decoder decided, not as windows-1252.

Chromium does not sniff: handed unlabelled UTF-8, GBK or Big5 bytes, it read them as
windows-1252, and the rendered DOM, the single file and the text read from the DOM came out as
mojibake. Each page here has no charset in its header nor a <meta>, a little text in its
markup (enough for the decoder, too little for HTTP mode's reading to stand) and the rest
written by an inline script, so the snapshot's text must come from what Chromium rendered.
"""

import pytest

from linkhome.links.services import add_link
from linkhome.worker.sequence import capture_and_follow
from tests.browser_support import content_of

pytestmark = pytest.mark.django_db(transaction=True)

STATIC = {
    "zh": "国家统计局今天发布了国民经济和社会发展统计公报，全年经济运行总体平稳，就业形势基本稳定。",
    "zh-hant": "國家統計局今天發布了國民經濟和社會發展統計公報，全年經濟運行總體平穩，就業形勢基本穩定。",
    "ko": "오늘 통계청은 국민 경제와 사회 발전에 관한 통계 공보를 발표했습니다. 고용 상황은 안정적입니다.",
}
SCRIPTED = {
    "zh": "这一段文字由页面的脚本写入，只有浏览器才能看到它。",
    "zh-hant": "這一段文字由頁面的腳本寫入，只有瀏覽器才能看到它。",
    "ko": "이 문장은 페이지의 스크립트가 쓴 것이며 브라우저만 볼 수 있습니다.",
}
# (language, codec the bytes are in, Content-Type): no label anywhere, except johab, which
# no browser knows, so the page is handed to Chromium decoded.
CASES = [
    ("zh", "utf-8", "text/html"),
    ("zh", "gb18030", "text/html"),
    ("zh-hant", "big5", "text/html"),
    ("ko", "johab", "text/html; charset=johab"),
]


def page(language: str) -> str:
    return f"""<!DOCTYPE html><html><head><title>{STATIC[language][:6]}</title></head>
<body><article><p>{STATIC[language]}</p><p id="later"></p></article>
<script>document.getElementById("later").textContent = "{SCRIPTED[language]}";</script>
</body></html>"""


@pytest.mark.parametrize(("language", "codec", "content_type"), CASES, ids=[c[1] for c in CASES])
def test_the_browser_reads_the_page_in_its_decoded_charset(
    http_server, owner, browser_mode, language, codec, content_type
):
    url = http_server.route(
        f"/{codec}", body=page(language).encode(codec), headers=[("Content-Type", content_type)]
    )
    snapshot = capture_and_follow(add_link(owner, url).snapshot.pk)
    assert snapshot.charset == {"big5": "big5hkscs"}.get(codec, codec)
    dom = content_of(snapshot, "dom").decode("utf-8")
    assert STATIC[language] in dom
    assert SCRIPTED[language] in dom
    assert SCRIPTED[language] in snapshot.text
    single = content_of(snapshot, "single_file").decode("utf-8")
    assert SCRIPTED[language] in single


def test_the_warc_keeps_the_page_as_received(http_server, owner, browser_mode):
    """Only what Chromium is handed is relabelled: the archive keeps the server's header."""
    body = page("zh").encode("gb18030")
    url = http_server.route("/raw", body=body, headers=[("Content-Type", "text/html")])
    snapshot = capture_and_follow(add_link(owner, url).snapshot.pk)
    raw = snapshot.artifacts.get(kind="raw_html")
    assert content_of(snapshot, "raw_html") == body
    assert raw.mime == "text/html"
