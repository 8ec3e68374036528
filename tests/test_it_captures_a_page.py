"""End to end through the real pipeline: a local server, the guarded client, the blob store."""

import io

import pytest
from warcio.archiveiterator import ArchiveIterator

from linkhome.archive.artifacts import artifact_bytes
from linkhome.archive.models import Snapshot
from linkhome.links.services import add_link
from linkhome.worker.sequence import capture_and_follow

pytestmark = pytest.mark.django_db(transaction=True)

# 镕 and 喆 are outside GB2312: a strict gb2312 decoder fails or loses them.
GBK_PAGE = """<!DOCTYPE html><html><head>
<meta http-equiv="Content-Type" content="text/html; charset=gb2312">
<title>朱镕基与张喆谈经济改革_新闻中心</title>
<link rel="stylesheet" href="/style.css"><link rel="icon" href="/icon.png">
<script>document.title = "hacked";</script>
</head><body><div class="nav"><a href="/">首页</a></div>
<article><h1>朱镕基与张喆谈经济改革</h1>
<p>发布时间：2023-01-16 10:30　来源：新华网　作者：王小明</p>
<p>本报讯　经济体制改革是一项复杂的系统工程，需要统筹兼顾各方面的利益关系。专家认为，改革必须坚持以人民为中心。</p>
<p>会议指出，要深化重点领域改革，推动高质量发展，不断增强经济活力和竞争力，让改革成果更多更公平惠及全体人民。</p>
<p>与会代表还就金融、财税、国有企业等方面的改革进行了深入讨论，提出了许多具有建设性的意见和建议。</p>
<img src="/photo.png" alt="会议现场">
</article></body></html>"""
PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d49444154789c6360000002000185d4c1e90000000049454e44ae426082"
)


def serve_gbk_site(http_server) -> str:
    body = GBK_PAGE.encode("gb18030")
    http_server.route("/news.html", body=body, headers=[("Content-Type", "text/html")])
    http_server.route(
        "/style.css", body=b"body{background:url(bg.png)}", headers=[("Content-Type", "text/css")]
    )
    http_server.route("/bg.png", body=PNG, headers=[("Content-Type", "image/png")])
    http_server.route("/photo.png", body=PNG, headers=[("Content-Type", "image/png")])
    http_server.route("/icon.png", body=PNG, headers=[("Content-Type", "image/png")])
    return http_server.url("/news.html")


def artifacts_of(snapshot: Snapshot) -> dict:
    return {a.kind: a for a in snapshot.artifacts.all()}


def test_it_decodes_a_gb2312_declared_page_with_gbk_only_characters(http_server, owner):
    added = add_link(owner, serve_gbk_site(http_server), tags=["新闻"])
    snapshot = capture_and_follow(added.snapshot.pk)
    assert snapshot.status == "succeeded", snapshot.error
    assert snapshot.charset == "gb18030"
    assert "朱镕基与张喆谈经济改革" in snapshot.title
    assert "经济体制改革是一项复杂的系统工程" in snapshot.text
    assert snapshot.published.isoformat() == "2023-01-16"
    assert "王小明" in snapshot.author


def test_it_keeps_every_artifact_and_stores_utf8(http_server, owner):
    snapshot = capture_and_follow(add_link(owner, serve_gbk_site(http_server)).snapshot.pk)
    kinds = artifacts_of(snapshot)
    for kind in ("warc", "raw_html", "html", "single_file", "readable", "headers", "favicon"):
        assert kinds[kind].status == "ok", (kind, kinds[kind].error)
    html = artifact_bytes(kinds["html"]).decode("utf-8")
    assert "朱镕基" in html and "charset=gb2312" not in html.lower()
    assert artifact_bytes(kinds["raw_html"]) == GBK_PAGE.encode("gb18030")
    assert artifact_bytes(kinds["favicon"]) == PNG


def test_the_single_file_has_no_scripts_and_no_network_references(http_server, owner):
    snapshot = capture_and_follow(add_link(owner, serve_gbk_site(http_server)).snapshot.pk)
    single = artifact_bytes(artifacts_of(snapshot)["single_file"]).decode("utf-8")
    assert "<script" not in single.lower()
    assert "data:image/png;base64," in single
    assert http_server.url("/") not in single.replace(f'href="{http_server.url("/")}"', "")


def test_the_warc_records_the_page_and_every_asset(http_server, owner):
    snapshot = capture_and_follow(add_link(owner, serve_gbk_site(http_server)).snapshot.pk)
    warc = artifact_bytes(artifacts_of(snapshot)["warc"])
    records = [
        (r.rec_type, r.rec_headers.get_header("WARC-Target-URI"))
        for r in ArchiveIterator(io.BytesIO(warc))
    ]
    responses = {uri.rsplit("/", 1)[-1] for kind, uri in records if kind == "response"}
    requests = [uri for kind, uri in records if kind == "request"]
    assert {"news.html", "style.css", "bg.png", "photo.png", "icon.png"} <= responses
    assert len(requests) == len([r for r in records if r[0] == "response"])
    assert records[0][0] == "warcinfo"


def test_identical_bytes_are_stored_once(http_server, owner, other_user):
    from linkhome.storage.models import Blob

    url = serve_gbk_site(http_server)
    capture_and_follow(add_link(owner, url).snapshot.pk)
    before = Blob.objects.count()
    second = capture_and_follow(add_link(other_user, url).snapshot.pk)
    assert artifacts_of(second)["raw_html"].sha256
    # Only the WARC (dates and record ids differ) and the headers (Date header) are new.
    assert Blob.objects.count() - before <= 2


def test_the_page_body_is_stored_once_and_its_copies_only_as_differences(http_server, owner):
    from linkhome.storage.models import Blob

    body = GBK_PAGE.encode("gb18030")
    snapshot = capture_and_follow(add_link(owner, serve_gbk_site(http_server)).snapshot.pk)
    kinds = artifacts_of(snapshot)
    assert artifact_bytes(kinds["raw_html"]) == body
    for kind in ("html", "warc", "single_file", "readable"):
        blob = Blob.objects.get(sha256=kinds[kind].sha256)
        assert blob.base == kinds["raw_html"].sha256 and blob.compression == "zstd"
    warc = Blob.objects.get(sha256=kinds["warc"].sha256)
    assert warc.stored_size < warc.size / 4  # it holds the body whole, yet costs little


def test_the_downloaded_warc_is_gzip_per_record_with_the_wire_bytes(http_server, owner):
    from django.test import Client

    from linkhome.accounts.services import create_token

    body = GBK_PAGE.encode("gb18030")
    url = http_server.gzipped("/zipped.html", body, headers=[("Content-Type", "text/html")])
    snapshot = capture_and_follow(add_link(owner, url).snapshot.pk)
    client = Client(HTTP_AUTHORIZATION=f"Bearer {create_token(owner).key}")
    download = client.get(f"/api/snapshots/{snapshot.pk}/artifacts/warc").content
    assert download[:2] == b"\x1f\x8b"
    records = ArchiveIterator(io.BytesIO(download))
    response = next(r for r in records if r.rec_type == "response")
    assert response.http_headers.get_header("Content-Encoding") == "gzip"
    assert response.raw_stream.read()[:2] == b"\x1f\x8b"  # the wire bytes, still gzipped
    assert records.get_record_offset() > 0  # records are separate members: offsets work


def test_a_huge_page_is_read_from_a_bounded_prefix_and_kept_whole(http_server, owner, settings):
    """Parsing a 50 MB page whole took a gigabyte: text, metadata, the UTF-8 copy and the
    WARC's outlinks come from the first LINKHOME_CAPTURE_PARSE_BYTES; the raw page and
    the WARC keep every byte."""
    settings.CAPTURE_PARSE_BYTES = 4096
    settings.BROWSER = "off"
    head = "<html><head><title>长页面</title></head><body><article>"
    early = "<p>" + "开头的文字，读得到。" * 40 + '<a href="https://early.example/">e</a></p>'
    late = '<p>LATE-MARKER <a href="https://late.example/">l</a></p>' * 2000
    body = f"{head}{early}{'<p>filler</p>' * 400}{late}</article></body></html>".encode()
    http_server.route("/long", body=body, headers=[("Content-Type", "text/html; charset=utf-8")])
    snapshot = capture_and_follow(add_link(owner, http_server.url("/long")).snapshot.pk)
    assert snapshot.status in ("succeeded", "partial"), snapshot.error
    assert snapshot.title == "长页面" and "开头的文字" in snapshot.text
    assert "LATE-MARKER" not in snapshot.text
    kept = artifacts_of(snapshot)
    assert artifact_bytes(kept["raw_html"]) == body
    assert len(artifact_bytes(kept["html"])) < len(body)
    warc = ArchiveIterator(io.BytesIO(artifact_bytes(kept["warc"])))
    read: dict[str, bytes] = {}
    for record in warc:  # the page's records come first; assets' follow
        read.setdefault(record.rec_type, record.content_stream().read())
    assert read["response"] == body
    assert b"early.example" in read["metadata"] and b"late.example" not in read["metadata"]
