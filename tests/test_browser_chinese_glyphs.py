"""A Chinese page's screenshot shows Chinese glyphs, not the empty boxes of a missing font.

Without a CJK font every Chinese character is drawn as the same "missing glyph" box, so two
pages that differ only in which Chinese characters they show would paint identical pixels
(and Chromium would write identical PNGs). With the font they differ."""

import subprocess

import pytest

from linkhome.links.services import add_link
from linkhome.worker.sequence import capture_and_follow
from tests.browser_support import content_of, png_size

pytestmark = pytest.mark.django_db(transaction=True)


def chinese_page(server, path: str, words: str) -> str:  # noqa: ANN001
    # Both pages have the same number of characters: only the glyphs can tell them apart.
    body = f"""<!DOCTYPE html><html lang="zh-CN"><head><meta charset="gb2312">
<title>字体</title></head><body style="font-size:48px">
<p>{words}</p></body></html>"""
    return server.route(path, body=body.encode("gb18030"), headers=[("Content-Type", "text/html")])


def test_a_cjk_font_is_installed():
    found = subprocess.run(["fc-list", ":lang=zh"], capture_output=True, text=True, check=False)
    assert found.stdout.strip(), "no font covers Chinese: run scripts/ensure-chromium.sh"


def test_different_chinese_words_paint_different_pixels(http_server, owner, browser_mode):
    first = chinese_page(http_server, "/a", "中文字体渲染测试")
    second = chinese_page(http_server, "/b", "汉字显示是否正常")
    shots = [
        content_of(capture_and_follow(add_link(owner, url).snapshot.pk), "screenshot")
        for url in (first, second)
    ]
    assert png_size(shots[0]) == png_size(shots[1])  # same layout ...
    assert shots[0] != shots[1]  # ... different glyphs, so not boxes
