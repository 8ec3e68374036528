"""An empty answer is a fact about the page, not a failure of the capture."""

import pytest

from linkhome.archive.artifacts import artifact_bytes
from linkhome.links.services import add_link
from linkhome.testing.factories import client_for
from linkhome.worker.sequence import capture_and_follow

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.mark.parametrize("content_type", ["text/html; charset=utf-8", "text/plain", ""])
def test_an_empty_200_page_finishes_at_once_with_its_warc_and_headers(
    http_server, owner, content_type
):
    headers = [("Content-Type", content_type)] if content_type else []
    http_server.route("/empty", body=b"", headers=headers)
    snapshot = capture_and_follow(add_link(owner, http_server.url("/empty")).snapshot.pk)
    kinds = {a.kind: a for a in snapshot.artifacts.all()}
    assert snapshot.status == "succeeded", snapshot.error
    assert snapshot.attempts == 1
    assert b"WARC/1.1" in artifact_bytes(kinds["warc"])
    assert artifact_bytes(kinds["headers"]).startswith(b"HTTP/1.1 200")
    assert snapshot.text == ""


def test_the_snapshot_page_says_the_page_is_empty_in_both_languages(http_server, owner):
    http_server.route("/empty", body=b"", headers=[("Content-Type", "text/html")])
    snapshot = capture_and_follow(add_link(owner, http_server.url("/empty")).snapshot.pk)
    chinese = client_for(owner).get(f"/s/{snapshot.pk}/").content.decode()
    english = client_for(owner).get(f"/s/{snapshot.pk}/", HTTP_ACCEPT_LANGUAGE="en")
    assert "网页是空的：服务器没有发送任何内容" in chinese
    assert "the page is empty: the server sent no content" in english.content.decode()


def test_an_empty_404_still_fails_with_its_status(http_server, owner):
    http_server.route("/gone", body=b"", status=404)
    snapshot = capture_and_follow(add_link(owner, http_server.url("/gone")).snapshot.pk)
    assert snapshot.status == "failed" and "404" in snapshot.error


def test_an_empty_page_downloads_as_a_warc_and_exports_as_a_valid_wacz(
    http_server, owner, tmp_path
):
    from linkhome.links import exports
    from tests.test_it_exports_wacz import wacz_validate

    http_server.route("/empty", body=b"", headers=[("Content-Type", "text/html")])
    snapshot = capture_and_follow(add_link(owner, http_server.url("/empty")).snapshot.pk)
    warc = client_for(owner).get(f"/api/snapshots/{snapshot.pk}/artifacts/warc")
    assert warc.status_code == 200 and warc.content.startswith(b"\x1f\x8b")  # gzip per record
    out = tmp_path / "empty.wacz"
    exports.export_snapshot(owner, snapshot.pk, out)
    assert wacz_validate(out).returncode == 0
