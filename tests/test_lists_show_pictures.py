"""List rows show the snapshot's pictures from our own origin: the captured preview (or the
browser thumbnail), else a placeholder drawn by CSS; the captured favicon, else a letter.
Never an SVG from a capture, never another origin; lazy, with width and height."""

import re

import pytest
from django.test import override_settings

from linkhome.lib.previews import small_picture
from linkhome.links.services import set_tags
from linkhome.testing.factories import captured, client_for, finished, stored
from linkhome.testing.images import png

pytestmark = pytest.mark.django_db

WEBP = small_picture(png(600, 400))
ICON = png(16, 16)
SVG = b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'


def shown(owner, url: str, artifacts: dict, **fields) -> object:
    return stored(
        owner, url, artifacts, finished=True, title=fields.pop("title", "一篇文章"), **fields
    )


def test_the_feed_shows_the_preview_lazy_and_sized(owner):
    snapshot = shown(owner, "https://news.example/a", {"preview": (WEBP, "image/webp")})
    home = client_for().get("/").content.decode()
    img = re.search(rf'<img src="/s/{snapshot.pk}/a/preview/"[^>]*>', home)
    assert img, home
    assert 'loading="lazy"' in img.group(0) and 'width="160"' in img.group(0)
    assert 'height="100"' in img.group(0)
    picture = client_for().get(f"/s/{snapshot.pk}/a/preview/")
    assert picture.status_code == 200 and picture["Content-Type"] == "image/webp"
    assert picture["X-Content-Type-Options"] == "nosniff"


def test_the_browser_thumbnail_comes_before_the_preview(owner):
    snapshot = shown(
        owner,
        "https://news.example/b",
        {"preview": (WEBP, "image/webp"), "thumbnail": (WEBP, "image/webp")},
    )
    home = client_for().get("/").content.decode()
    assert f'src="/s/{snapshot.pk}/a/thumbnail/"' in home
    assert f'src="/s/{snapshot.pk}/a/preview/"' not in home


def test_a_page_without_a_picture_gets_a_placeholder_and_a_letter(owner):
    snapshot = shown(owner, "https://www.zhihu.example/q", {})
    home = client_for().get("/").content.decode()
    assert f"/s/{snapshot.pk}/a/" not in home
    assert re.search(r'<span class="thumb-placeholder hue-\d+ page">Z</span>', home)
    assert re.search(r'<span class="favicon letter hue-\d+" aria-hidden="true">Z</span>', home)


def test_the_captured_favicon_is_the_site_icon(owner):
    snapshot = shown(owner, "https://news.example/c", {"favicon": (ICON, "image/png")})
    home = client_for().get("/").content.decode()
    assert f'<img class="favicon" src="/s/{snapshot.pk}/a/favicon/"' in home


def test_an_svg_favicon_or_picture_from_a_capture_is_never_linked(owner):
    snapshot = shown(
        owner,
        "https://news.example/d",
        {"favicon": (SVG, "image/svg+xml"), "thumbnail": (SVG, "image/svg+xml")},
    )
    home = client_for().get("/").content.decode()
    assert f"/s/{snapshot.pk}/a/" not in home
    assert 'class="favicon letter' in home


def test_a_pdf_without_a_preview_gets_the_pdf_placeholder(owner):
    shown(owner, "https://docs.example/r.pdf", {}, content_type="application/pdf", title="年报")
    home = client_for().get("/").content.decode()
    assert re.search(r'<span class="thumb-placeholder hue-\d+ pdf">PDF</span>', home)


def test_the_excerpt_is_shown(owner):
    shown(owner, "https://news.example/e", {}, description="  一段\n摘要  ")
    assert '<p class="excerpt">一段 摘要</p>' in client_for().get("/").content.decode()


def test_tag_person_search_and_my_links_show_the_preview(owner):
    snapshot = stored(owner, "https://news.example/f", {"preview": (WEBP, "image/webp")})
    set_tags(snapshot.link, ["港口"])
    snapshot.title, snapshot.text = "港口新闻", "港口 新闻 正文"
    finished(snapshot, "succeeded")
    src = f'src="/s/{snapshot.pk}/a/preview/"'
    for path in ("/", "/tags/港口/", f"/people/{owner.pk}/", "/search/?q=港口"):
        assert src in client_for(owner).get(path).content.decode(), path


def test_on_an_archive_origin_pictures_come_from_there(owner):
    archive = "http://archive.example:8001"
    snapshot = shown(owner, "https://news.example/g", {"preview": (WEBP, "image/webp")})
    with override_settings(ARCHIVE_ORIGIN=archive):
        home = client_for().get("/").content.decode()
    assert f'src="{archive}/s/{snapshot.pk}/a/preview/"' in home


def test_a_captured_page_with_og_image_shows_it_in_the_list(http_server, owner, transactional_db):
    http_server.route("/share.png", body=png(800, 420), headers=[("Content-Type", "image/png")])
    body = (
        "<html><head><title>带图的文章</title>"
        '<meta property="og:image" content="/share.png"></head>'
        "<body><article><p>" + "正文内容足够长。" * 40 + "</p></article></body></html>"
    ).encode()
    http_server.route("/og.html", body=body, headers=[("Content-Type", "text/html; charset=utf-8")])
    snapshot = captured(owner, http_server.url("/og.html"))
    home = client_for().get("/").content.decode()
    assert f'src="/s/{snapshot.pk}/a/preview/"' in home
