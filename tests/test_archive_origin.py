"""LINKHOME_ARCHIVE_ORIGIN: archived bytes only on their own origin, private ones by signed
URLs that open one artifact for one viewer for a few minutes (issue 5)."""

import os
import time
from unittest import mock
from urllib.parse import urlsplit

import pytest
from django.core.exceptions import ImproperlyConfigured

from linkhome.settings import env_origin
from linkhome.testing import factories
from linkhome.testing.factories import client_for
from linkhome.web.archive_origin import SIGNED_URL_SECONDS

ARCHIVE = "https://archive.example.com"
HTML = (b"<html><script>alert(1)</script><p>kept</p></html>", "text/html; charset=utf-8")


@pytest.fixture
def archive(settings):  # noqa: ANN001, ANN201
    settings.ARCHIVE_ORIGIN = ARCHIVE
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "archive.example.com"]
    return settings


def snapshot_of(owner, url: str, private: bool = False):  # noqa: ANN001, ANN201
    visibility = "private" if private else "public"
    artifacts = {kind: HTML for kind in ("single_file", "raw_html")}
    return factories.stored(owner, url, artifacts, visibility=visibility)


def on_archive(client, url: str):  # noqa: ANN001, ANN201
    """GET an absolute archive-origin URL with a test client (Host from the URL)."""
    parts = urlsplit(url)
    path = parts.path + (f"?{parts.query}" if parts.query else "")
    return client.get(path, HTTP_HOST=parts.netloc, secure=parts.scheme == "https")


def redirected(owner, snapshot, kind: str = "single_file") -> str:  # noqa: ANN001
    response = client_for(owner).get(f"/s/{snapshot.pk}/a/{kind}/")
    assert response.status_code == 302, response
    return response["Location"]


@pytest.mark.parametrize(
    "raw", ["archive.example.com", "ftp://a.example", "https://a.example/x", "https://a?b=1"]
)
def test_a_malformed_origin_stops_the_start(raw):
    environment = mock.patch.dict(os.environ, {"LINKHOME_ARCHIVE_ORIGIN": raw})
    with environment, pytest.raises(ImproperlyConfigured):
        env_origin("LINKHOME_ARCHIVE_ORIGIN")


def test_an_origin_is_normalised_and_unset_means_off():
    with mock.patch.dict(os.environ, {"LINKHOME_ARCHIVE_ORIGIN": "HTTP://127.0.0.2:8000/"}):
        assert env_origin("LINKHOME_ARCHIVE_ORIGIN") == "http://127.0.0.2:8000"
    with mock.patch.dict(os.environ, {"LINKHOME_ARCHIVE_ORIGIN": ""}):
        assert env_origin("LINKHOME_ARCHIVE_ORIGIN") == ""


@pytest.mark.django_db
def test_a_public_artifact_moves_to_the_archive_origin_unsigned(archive, owner):
    snapshot = snapshot_of(owner, "https://example.com/public")
    location = redirected(owner, snapshot)
    assert location == f"{ARCHIVE}/s/{snapshot.pk}/a/single_file/"
    served = on_archive(client_for(), location)  # nobody signed in: it is public
    assert served.status_code == 200 and b"kept" in served.content
    assert served["Content-Security-Policy"].startswith("sandbox;")
    assert "frame-ancestors *" in served["Content-Security-Policy"]  # the app may frame it


@pytest.mark.django_db
def test_a_private_artifact_opens_only_with_its_signature(archive, owner):
    snapshot = snapshot_of(owner, "https://example.com/private", private=True)
    location = redirected(owner, snapshot)
    assert location.startswith(f"{ARCHIVE}/s/{snapshot.pk}/a/single_file/?sig=")
    assert on_archive(client_for(), location).status_code == 200
    unsigned = location.split("?", 1)[0]
    assert on_archive(client_for(), unsigned).status_code == 404
    # The owner's session does not open it there either: only the signature does.
    assert on_archive(client_for(owner), unsigned).status_code == 404
    assert on_archive(client_for(), location[:-2] + "xx").status_code == 404


@pytest.mark.django_db
def test_a_signature_opens_one_artifact_and_expires(archive, owner):
    first = snapshot_of(owner, "https://example.com/one", private=True)
    second = snapshot_of(owner, "https://example.com/two", private=True)
    signature = redirected(owner, first).split("?", 1)[1]
    for other in (f"/s/{second.pk}/a/single_file/", f"/s/{first.pk}/a/raw_html/"):
        assert on_archive(client_for(), f"{ARCHIVE}{other}?{signature}").status_code == 404
    later = time.time() + SIGNED_URL_SECONDS + 5
    with mock.patch("django.core.signing.time.time", return_value=later):
        assert on_archive(client_for(), redirected(owner, first)).status_code == 200
        old = f"{ARCHIVE}/s/{first.pk}/a/single_file/?{signature}"
        assert on_archive(client_for(), old).status_code == 404


@pytest.mark.django_db
def test_a_signature_dies_with_its_viewers_account(archive, owner, other_user):
    snapshot = snapshot_of(owner, "https://example.com/mine", private=True)
    assert client_for(other_user).get(f"/s/{snapshot.pk}/a/single_file/").status_code == 404
    location = redirected(owner, snapshot)
    owner.is_active = False  # a removed account's links stop opening at once
    owner.save()
    assert on_archive(client_for(), location).status_code == 404


@pytest.mark.django_db
@pytest.mark.parametrize(
    "path", ["/", "/api/links", "/accounts/login/", "/add/", "/admin/", "/static/web/linkhome.css"]
)
def test_the_archive_origin_serves_nothing_but_artifacts(archive, owner, path):
    assert on_archive(client_for(owner), f"{ARCHIVE}{path}").status_code == 404


@pytest.mark.django_db
def test_the_snapshot_page_links_and_frames_the_archive_origin(archive, owner):
    snapshot = snapshot_of(owner, "https://example.com/page", private=True)
    page = client_for(owner).get(f"/s/{snapshot.pk}/").content.decode()
    frame = page.split('id="archived-view"', 1)[1].split("</iframe>", 1)[0]
    src = frame.split('<iframe sandbox src="', 1)[1].split('"', 1)[0].replace("&amp;", "&")
    assert src.startswith(f"{ARCHIVE}/s/{snapshot.pk}/a/single_file/?sig=")
    assert on_archive(client_for(), src).status_code == 200
    assert f'href="{ARCHIVE}/s/{snapshot.pk}/a/raw_html/?sig=' in page


@pytest.mark.django_db
def test_without_the_setting_artifacts_stay_on_the_app(owner):
    snapshot = snapshot_of(owner, "https://example.com/here", private=True)
    assert client_for(owner).get(f"/s/{snapshot.pk}/a/single_file/").status_code == 200
