"""LinkHome's own pages forbid loading anything from other sites (web/security.py).

The snapshot page shows HTML that came from elsewhere; even a readable text captured
before its images were archived must not make the reader's browser contact the original
site. Archived artifacts keep their own sandbox policy.
"""

import pytest
from django.test import override_settings

from linkhome.links.services import recapture
from linkhome.testing import factories
from linkhome.testing.factories import client_for

pytestmark = pytest.mark.django_db

OLD_READABLE = '<p>Harbour news</p><img src="https://tracker.example/pixel.gif" alt="pixel">'


def policy_of(response) -> dict[str, str]:
    header = response["Content-Security-Policy"]
    pairs = (d.strip().split(" ", 1) for d in header.split(";") if d.strip())
    return {name: (rest[0] if rest else "") for name, *rest in pairs}


def kept_snapshot(owner):
    artifacts = {
        "readable": (OLD_READABLE.encode(), "text/html; charset=utf-8"),
        "single_file": (b"<p>Harbour news</p>", "text/html; charset=utf-8"),
    }
    return factories.stored(owner, "https://example.com/harbour", artifacts, finished=True)


def assert_only_linkhome(policy: dict[str, str], archive: str = "") -> None:
    extra = f" {archive}" if archive else ""
    assert policy["default-src"] == "'self'"
    assert policy["img-src"] == f"'self' data:{extra}"  # no https:, so no tracker.example
    assert policy["script-src"] == "'self'" and policy["style-src"] == "'self'"
    assert policy["frame-src"] == f"'self'{extra}"
    assert policy["base-uri"] == "'none'" and policy["object-src"] == "'none'"
    assert policy["form-action"] == "'self'" and policy["frame-ancestors"] == "'self'"


def test_the_home_page_loads_nothing_from_other_sites(owner):
    for client in (client_for(), client_for(owner)):
        response = client.get("/")
        assert response.status_code == 200
        assert_only_linkhome(policy_of(response))


def test_the_snapshot_page_cannot_load_an_old_readable_texts_remote_image(owner):
    snapshot = kept_snapshot(owner)
    response = client_for(owner).get(f"/s/{snapshot.pk}/")
    assert "https://tracker.example/pixel.gif" in response.content.decode()  # stored so
    assert_only_linkhome(policy_of(response))


def test_the_archive_origin_may_fill_the_frame_and_show_favicons(owner):
    archive = "http://archive.example:8001"
    snapshot = kept_snapshot(owner)
    with override_settings(ARCHIVE_ORIGIN=archive):
        response = client_for(owner).get(f"/s/{snapshot.pk}/")
    assert f'src="{archive}/s/{snapshot.pk}/a/single_file/' in response.content.decode()
    assert_only_linkhome(policy_of(response), archive)


def test_an_archived_artifact_keeps_its_own_sandbox_policy(owner):
    snapshot = kept_snapshot(owner)
    response = client_for(owner).get(f"/s/{snapshot.pk}/a/single_file/")
    assert response.status_code == 200
    assert policy_of(response)["sandbox"] == ""
    assert "img-src 'self'" not in response["Content-Security-Policy"]


def test_the_pages_have_no_inline_styles_or_scripts_the_policy_would_refuse(owner):
    snapshot = kept_snapshot(owner)
    recapture(snapshot.link)  # two versions: the page lists them too
    for path in ("/", f"/s/{snapshot.pk}/", "/tags/", "/search/?q=harbour", "/status/"):
        page = client_for(owner).get(path).content.decode()
        assert " style=" not in page and "<style" not in page, path
        assert path != f"/s/{snapshot.pk}/" or 'id="versions"' in page
        assert "<script>" not in page and "<script src" in page, path
