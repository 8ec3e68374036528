"""Archived bytes are served sandboxed, with the right type, name and caching (issue 5)."""

from itertools import count

import pytest

from linkhome.links.services import add_link
from linkhome.testing import factories
from linkhome.testing.factories import client_for
from linkhome.worker.sequence import capture_and_follow

pytestmark = pytest.mark.django_db

HOSTILE = b"<html><title>t</title><script>alert(document.cookie)</script><p>hi</p></html>"
PAGE_KINDS = ("raw_html", "html", "single_file", "dom")
_urls = count()


def stored(owner, kinds: dict[str, tuple[bytes, str]], private: bool = False):  # noqa: ANN001, ANN201
    """A snapshot of `owner` holding artifacts {kind: (bytes, mime)}, made without a capture."""
    visibility = "private" if private else "public"
    url = f"https://example.com/{next(_urls)}"
    return factories.stored(owner, url, kinds, visibility=visibility, charset="gb18030")


def pages(owner, private: bool = False):  # noqa: ANN001, ANN201
    utf8 = "text/html; charset=utf-8"
    kinds = {"raw_html": (HOSTILE, "text/html")} | {k: (HOSTILE, utf8) for k in PAGE_KINDS[1:]}
    return stored(owner, kinds, private)


def csp_directives(response) -> dict[str, str]:  # noqa: ANN001
    parts = [p.strip().split(" ", 1) for p in response["Content-Security-Policy"].split(";")]
    return {p[0]: (p[1] if len(p) > 1 else "") for p in parts}


@pytest.mark.parametrize("kind", PAGE_KINDS)
def test_every_archived_page_is_served_in_an_empty_sandbox(owner, kind):
    snapshot = pages(owner)
    response = client_for(owner).get(f"/s/{snapshot.pk}/a/{kind}/")
    assert response.status_code == 200 and b"<script>" in response.content  # bytes kept as is
    csp = csp_directives(response)
    assert "sandbox" in csp and csp["sandbox"] == ""  # no allow-scripts, no allow-same-origin
    assert csp["default-src"] == "'none'" and csp["form-action"] == "'none'"
    assert "script-src" not in csp  # falls back to default-src 'none'
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "no-referrer"


@pytest.mark.parametrize("kind", PAGE_KINDS)
def test_pages_are_shown_inline_with_a_name_and_a_charset(owner, kind):
    response = client_for(owner).get(f"/s/{pages(owner).pk}/a/{kind}/")
    expected = {"raw_html": "gb18030"}.get(kind, "utf-8")  # raw: the charset the capture found
    assert response["Content-Type"] == f"text/html; charset={expected}"
    disposition = response["Content-Disposition"]
    assert disposition.startswith("inline; filename=") and ".html" in disposition


def test_download_names_follow_the_kind(owner):
    png, pdf = b"\x89PNG\r\n\x1a\n", b"%PDF-1.4\n"
    snapshot = stored(
        owner,
        {
            "single_file": (b"<p>x</p>", "text/html; charset=utf-8"),
            "raw_html": (b"<p>x</p>", "text/html; charset=utf-8"),
            "screenshot": (png, "image/png"),
            "thumbnail": (png, "image/png"),
            "pdf": (pdf, "application/pdf"),
            "headers": (b"HTTP/1.1 200 OK", "text/plain"),
        },
    )
    n = snapshot.pk
    expected = {
        "single_file": f'inline; filename="snapshot-{n}.html"',
        "raw_html": f'inline; filename="snapshot-{n}-original.html"',
        "screenshot": f'inline; filename="snapshot-{n}.png"',
        "thumbnail": f'inline; filename="snapshot-{n}-thumbnail.png"',
        # The sandbox blocks the browser's PDF viewer (a plugin): a PDF is a download.
        "pdf": f'attachment; filename="snapshot-{n}.pdf"',
        "headers": f'inline; filename="snapshot-{n}-headers.txt"',
    }
    client = client_for(owner)
    got = {k: client.get(f"/s/{n}/a/{k}/")["Content-Disposition"] for k in expected}
    assert got == expected
    assert client.get(f"/s/{n}/a/pdf/")["Content-Type"] == "application/pdf"


def test_the_warc_is_a_gzip_download_named_after_the_snapshot(http_server, owner):
    http_server.route("/p", body=b"<html><title>t</title><p>hello</p></html>")
    snapshot = capture_and_follow(add_link(owner, http_server.url("/p")).snapshot.pk)
    response = client_for(owner).get(f"/s/{snapshot.pk}/a/warc/")
    assert (
        response["Content-Disposition"] == f'attachment; filename="snapshot-{snapshot.pk}.warc.gz"'
    )
    assert response["Content-Type"] == "application/warc" and response.content[:2] == b"\x1f\x8b"


def test_the_api_hands_out_downloads_not_pages(owner):
    from tests.test_api import api

    snapshot = pages(owner)
    response = api(owner).get(f"/api/snapshots/{snapshot.pk}/artifacts/single_file")
    assert response["Content-Disposition"] == f'attachment; filename="snapshot-{snapshot.pk}.html"'
    assert csp_directives(response)["sandbox"] == ""


def test_head_gets_the_headers_without_the_body(owner):
    snapshot = pages(owner)
    client = client_for(owner)
    head = client.head(f"/s/{snapshot.pk}/a/single_file/")
    get = client.get(f"/s/{snapshot.pk}/a/single_file/")
    assert head.status_code == 200 and head.content == b""
    assert head["Content-Length"] == get["Content-Length"] == str(len(get.content))
    assert head["Content-Security-Policy"] == get["Content-Security-Policy"]
    assert client.post(f"/s/{snapshot.pk}/a/single_file/").status_code == 405


def test_artifacts_are_revalidated_by_etag_and_kept_out_of_shared_caches_when_private(owner):
    public, private = pages(owner), pages(owner, private=True)
    client = client_for(owner)
    first = client.get(f"/s/{public.pk}/a/html/")
    assert "public" in first["Cache-Control"] and "max-age=" in first["Cache-Control"]
    again = client.get(f"/s/{public.pk}/a/html/", HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.status_code == 304 and again["Content-Security-Policy"].startswith("sandbox")
    hidden = client.get(f"/s/{private.pk}/a/html/")
    assert "private" in hidden["Cache-Control"] and "public" not in hidden["Cache-Control"]


def test_the_app_frames_its_own_archives_and_nobody_else_does(owner):
    response = client_for(owner).get(f"/s/{pages(owner).pk}/a/single_file/")
    assert csp_directives(response)["frame-ancestors"] == "'self'"
    assert response["X-Frame-Options"] == "SAMEORIGIN"  # not Django's DENY: the viewer frames it


def test_the_snapshot_page_shows_the_single_file_in_an_empty_sandboxed_frame(owner):
    snapshot = pages(owner)
    page = client_for(owner).get(f"/s/{snapshot.pk}/").content.decode()
    frame = page.split('id="archived-view"', 1)[1].split("</iframe>", 1)[0]
    assert f'<iframe sandbox src="/s/{snapshot.pk}/a/single_file/"' in frame
    english = client_for(owner).get(f"/s/{snapshot.pk}/", HTTP_ACCEPT_LANGUAGE="en")
    assert "The page as captured" in english.content.decode() and "网页存档原貌" in page


def test_the_frame_falls_back_to_the_dom_and_is_left_out_without_either(owner):
    dom_only = stored(owner, {"dom": (b"<p>x</p>", "text/html; charset=utf-8")})
    page = client_for(owner).get(f"/s/{dom_only.pk}/").content.decode()
    assert f'<iframe sandbox src="/s/{dom_only.pk}/a/dom/"' in page
    bare = stored(owner, {"raw_html": (b"<p>x</p>", "text/html")})
    assert 'id="archived-view"' not in client_for(owner).get(f"/s/{bare.pk}/").content.decode()
