"""The readable HTML shown on the snapshot page takes its images from the archive.

An <img src> left pointing at the original site would tell that site who reads the
snapshot, and when; so every image is the archived bytes as a data: URI, and one that
could not be archived keeps its alt text and loses its source.
"""

import base64
import re

import pytest
from django.test import override_settings

from linkhome.archive.artifacts import artifact_bytes
from linkhome.capture.steps.readable_images import (
    MAX_IMAGE_BYTES,
    MAX_TOTAL_BYTES,
    with_archived_images,
)
from linkhome.capture.steps.single_file import Asset
from linkhome.links.services import add_link
from linkhome.worker.sequence import capture_and_follow

PNG_MAGIC = b"\x89PNG\r\n\x1a\n"
IMAGES = {name: PNG_MAGIC + name.encode() for name in ("photo", "small", "large", "lazy")}
HUGE = PNG_MAGIC + b"\0" * MAX_IMAGE_BYTES
PARAGRAPH = (
    "<p>Harbour traffic rose by a fifth in the third quarter, the port authority said on "
    "Tuesday, as container ships returned to the northern berths after a year of repairs.</p>"
)
PAGE = f"""<!DOCTYPE html><html><head><meta charset="utf-8"><title>Harbour report</title>
</head><body><nav><a href="/">Home</a></nav><article><h1>Harbour traffic rose</h1>
{PARAGRAPH}
<figure><img src="/photo.png" alt="The northern berths"><figcaption>May.</figcaption></figure>
{PARAGRAPH.replace("third", "fourth")}
<picture><source srcset="/large.png 2x">
<img src="/small.png" srcset="/small.png 1x, /large.png 2x" alt="The cranes"></picture>
{PARAGRAPH.replace("third", "second")}
<img src="/missing.png" alt="A map that is gone">
<img src="/huge.png" alt="A huge chart">
<img data-src="/lazy.png" src="data:image/gif;base64,R0lGODlhAQABAAAAACw=" alt="Lazy">
{PARAGRAPH.replace("third", "first")}
</article></body></html>"""
SRC = re.compile(r'<img\b[^>]*?\bsrc="([^"]*)"')


def serve_site(http_server) -> str:
    png = [("Content-Type", "image/png")]
    for name, body in IMAGES.items():
        http_server.route(f"/{name}.png", body=body, headers=png)
    http_server.route("/huge.png", body=HUGE, headers=png)
    http_server.error("/missing.png", 404)
    html = [("Content-Type", "text/html; charset=utf-8")]
    return http_server.route("/news.html", body=PAGE.encode(), headers=html)


def readable_of(snapshot) -> str:
    found = next(a for a in snapshot.artifacts.all() if a.kind == "readable")
    assert found.status == "ok", found.error
    return artifact_bytes(found).decode("utf-8")


def decoded(uri: str) -> bytes:
    header, _, payload = uri.partition(",")
    assert header.startswith("data:image/") and header.endswith(";base64"), header
    return base64.b64decode(payload)


def requests_for(http_server, path: str) -> int:
    return sum(1 for _, seen, _ in http_server.requests if seen == path)


@pytest.mark.django_db(transaction=True)
def test_the_readable_images_are_the_archived_bytes_fetched_once(http_server, owner):
    snapshot = capture_and_follow(add_link(owner, serve_site(http_server)).snapshot.pk)
    readable = readable_of(snapshot)
    shown = [decoded(src) for src in SRC.findall(readable)]
    # The photo the single file fetched, the srcset's 1x it did not, the lazy image.
    assert shown == [IMAGES["photo"], IMAGES["small"], IMAGES["lazy"]]
    for path in ("/photo.png", "/small.png", "/lazy.png"):
        assert requests_for(http_server, path) == 1, path  # no second download


@pytest.mark.django_db(transaction=True)
def test_nothing_in_the_readable_html_loads_from_the_original_site(http_server, owner):
    snapshot = capture_and_follow(add_link(owner, serve_site(http_server)).snapshot.pk)
    readable = readable_of(snapshot)
    assert "The cranes" in readable  # the images are there, by their alt text at least
    site = http_server.url("/")
    assert all(not src.startswith(("http:", "https:", "//")) for src in SRC.findall(readable))
    assert site not in re.sub(r'<a\b[^>]*href="[^"]*"', "", readable)  # links may stay
    assert "srcset" not in readable and "<source" not in readable


@pytest.mark.django_db(transaction=True)
def test_an_image_that_could_not_be_archived_keeps_its_alt_text_only(http_server, owner):
    snapshot = capture_and_follow(add_link(owner, serve_site(http_server)).snapshot.pk)
    readable = readable_of(snapshot)
    assert '<img alt="A map that is gone">' in readable  # 404
    assert '<img alt="A huge chart">' in readable  # over the limit for one image


@pytest.mark.django_db(transaction=True)
def test_with_assets_turned_off_the_readable_images_have_no_source(http_server, owner):
    with override_settings(CAPTURE_ASSETS=False):
        snapshot = capture_and_follow(add_link(owner, serve_site(http_server)).snapshot.pk)
    readable = readable_of(snapshot)
    assert '<img alt="The northern berths">' in readable
    assert SRC.findall(readable) == []
    assert requests_for(http_server, "/photo.png") == 0


def test_the_images_together_stay_within_the_total_limit():
    size = MAX_IMAGE_BYTES - 1024
    html = "".join(f'<img src="https://example.com/{n}.png" alt="{n}">' for n in range(6))
    bodies = {f"https://example.com/{n}.png": PNG_MAGIC + bytes([n]) * size for n in range(6)}

    def source(url: str) -> Asset:
        return Asset(url=url, mime="image/png", body=bodies[url])

    result = with_archived_images(html, "https://example.com/", source)
    fitting = MAX_TOTAL_BYTES // (len(PNG_MAGIC) + size)
    assert len(SRC.findall(result)) == fitting < 6
    assert f'<img alt="{fitting}">' in result and "example.com" not in result


def test_an_answer_that_is_no_image_is_not_shown():
    html = '<p>x</p><img src="https://example.com/a.png" alt="a">'

    def source(url: str) -> Asset:
        return Asset(url=url, mime="text/html", body=b"<!doctype html><script>x()</script>")

    assert with_archived_images(html, "https://example.com/", source) == '<p>x</p><img alt="a">'
