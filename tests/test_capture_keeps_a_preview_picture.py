"""The capture keeps a small preview picture for lists: the page's og:image (fetched through
the guarded client and recorded like any asset), else its first large picture, else none;
an image snapshot's own picture; a PDF's first page. Never an SVG."""

import io

import pytest
from PIL import Image
from warcio.archiveiterator import ArchiveIterator

from linkhome.archive.artifacts import artifact_bytes
from linkhome.archive.models import Artifact
from linkhome.testing.factories import captured
from linkhome.testing.images import png

pytestmark = pytest.mark.django_db(transaction=True)

ARTICLE = "<p>" + "这是一段足够长的正文，用来让正文抽取认出文章。" * 12 + "</p>"
SVG = b'<svg xmlns="http://www.w3.org/2000/svg" width="800" height="600"><script>alert(1)</script></svg>'


def page(head: str, body: str = "") -> bytes:
    return (
        f"<!DOCTYPE html><html><head><meta charset='utf-8'><title>一篇文章</title>{head}</head>"
        f"<body><article><h1>一篇文章</h1>{ARTICLE}{body}</article></body></html>"
    ).encode()


def serve(http_server, path: str, body: bytes, mime: str) -> str:
    http_server.route(path, body=body, headers=[("Content-Type", mime)])
    return http_server.url(path)


def preview_of(snapshot) -> Artifact | None:
    return snapshot.artifacts.filter(kind="preview", status="ok").first()


def picture_size(artifact: Artifact) -> tuple[str, tuple[int, int]]:
    with Image.open(io.BytesIO(artifact_bytes(artifact))) as image:
        return image.format, image.size


def test_a_page_with_og_image_keeps_it_small(http_server, owner, settings):
    settings.PREVIEW_MAX_SIDE = 300
    serve(http_server, "/share.png", png(1200, 630), "image/png")
    url = serve(
        http_server, "/a.html", page('<meta property="og:image" content="/share.png">'), "text/html"
    )
    snapshot = captured(owner, url)
    preview = preview_of(snapshot)
    assert preview is not None and preview.mime == "image/webp"
    assert picture_size(preview) == ("WEBP", (300, 158))
    # Fetched like any asset: its exchange is in the snapshot's WARC.
    assert http_server.url("/share.png") in warc_responses(snapshot)


def warc_responses(snapshot) -> set[str]:
    warc = artifact_bytes(snapshot.artifacts.get(kind="warc"))
    return {
        r.rec_headers.get_header("WARC-Target-URI")
        for r in ArchiveIterator(io.BytesIO(warc))
        if r.rec_type == "response"
    }


def test_twitter_image_counts_too(http_server, owner):
    serve(http_server, "/t.jpg", png(640, 480, seed=3), "image/png")
    url = serve(
        http_server,
        "/b.html",
        page('<meta name="twitter:image" content="/t.jpg">'),
        "text/html",
    )
    assert preview_of(captured(owner, url)) is not None


def test_without_og_image_the_first_large_picture_is_taken(http_server, owner):
    serve(http_server, "/tiny.png", png(16, 16), "image/png")
    serve(http_server, "/big.png", png(800, 500, seed=5), "image/png")
    url = serve(
        http_server,
        "/c.html",
        page("", '<img src="/tiny.png" alt="i"><img src="/big.png" alt="b">'),
        "text/html",
    )
    preview = preview_of(captured(owner, url))
    assert preview is not None and picture_size(preview)[1] == (480, 300)


def test_a_page_without_pictures_has_no_preview(http_server, owner):
    serve(http_server, "/small.png", png(40, 40), "image/png")
    url = serve(http_server, "/d.html", page("", '<img src="/small.png" alt="s">'), "text/html")
    assert preview_of(captured(owner, url)) is None


def test_an_svg_og_image_is_never_kept(http_server, owner):
    serve(http_server, "/s.svg", SVG, "image/svg+xml")
    url = serve(
        http_server, "/e.html", page('<meta property="og:image" content="/s.svg">'), "text/html"
    )
    assert preview_of(captured(owner, url)) is None


def test_an_image_snapshot_is_its_own_preview(http_server, owner):
    url = serve(http_server, "/photo.png", png(900, 600, seed=7), "image/png")
    preview = preview_of(captured(owner, url))
    assert preview is not None and picture_size(preview)[1] == (480, 320)


def test_a_pdf_snapshot_previews_its_first_page(http_server, owner):
    pdf = blank_pdf()
    url = serve(http_server, "/doc.pdf", pdf, "application/pdf")
    preview = preview_of(captured(owner, url))
    assert preview is not None
    fmt, (width, height) = picture_size(preview)
    assert fmt == "WEBP" and height == 480 and 300 < width < 400  # A4 is portrait


def blank_pdf() -> bytes:
    import pypdfium2 as pdfium

    document = pdfium.PdfDocument.new()
    document.new_page(595, 842)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()
