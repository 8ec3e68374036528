"""The downloaded WARC is WARC 1.1 that standard tools accept: warcinfo first, request,
response and metadata records tied by WARC-Concurrent-To, block and payload digests that
`warcio check` recomputes, and revisit records for assets kept before."""

from pathlib import Path

import pytest
from django.test import Client

from linkhome.accounts.services import create_token
from linkhome.links.services import add_link
from linkhome.worker.sequence import capture_and_follow
from tests.archive_support import records_of, serve_site, warcio_check

pytestmark = pytest.mark.django_db(transaction=True)


def download_warc(owner, snapshot_id: int, tmp_path: Path) -> Path:
    client = Client(HTTP_AUTHORIZATION=f"Bearer {create_token(owner).key}")
    response = client.get(f"/api/snapshots/{snapshot_id}/artifacts/warc")
    assert response.status_code == 200
    path = tmp_path / f"snapshot-{snapshot_id}.warc.gz"
    path.write_bytes(response.content)
    return path


def capture(owner, url: str):
    snapshot = capture_and_follow(add_link(owner, url).snapshot.pk)
    assert snapshot.status == "succeeded", snapshot.error
    return snapshot


def test_warcio_check_verifies_every_digest_of_a_download(http_server, owner, tmp_path):
    warc = download_warc(owner, capture(owner, serve_site(http_server)).pk, tmp_path)
    checked = warcio_check(warc)
    assert checked.returncode == 0, checked.stdout + checked.stderr
    assert "digest pass" in checked.stdout and "fail" not in checked.stdout
    records = records_of(warc.read_bytes())
    assert all(headers.get_header("WARC-Block-Digest") for _, headers, _ in records)
    kinds = [kind for kind, _, _ in records]
    assert kinds[0] == "warcinfo" and kinds.count("warcinfo") == 1
    assert (
        kinds.count("metadata") == 1 and kinds.count("response") == 5
    )  # page, css, 2 images, favicon.ico


def test_warcinfo_names_the_software_and_the_standard(http_server, owner, tmp_path):
    warc = download_warc(owner, capture(owner, serve_site(http_server)).pk, tmp_path)
    _, headers, fields = records_of(warc.read_bytes())[0]
    assert headers.protocol == "WARC/1.1"
    assert b"software: LinkHome/" in fields and b"format: WARC File Format 1.1" in fields
    assert b"conformsTo: http://iipc.github.io/warc-specifications/" in fields
    info_id = headers.get_header("WARC-Record-ID")
    others = records_of(warc.read_bytes())[1:]
    assert all(h.get_header("WARC-Warcinfo-ID") == info_id for _, h, _ in others)


def test_requests_and_the_metadata_record_are_concurrent_to_their_response(
    http_server, owner, tmp_path
):
    url = serve_site(http_server)
    records = records_of(download_warc(owner, capture(owner, url).pk, tmp_path).read_bytes())
    responses = {h.get_header("WARC-Record-ID"): h for kind, h, _ in records if kind == "response"}
    for kind, headers, _ in records:
        if kind in ("request", "metadata"):
            concurrent = responses[headers.get_header("WARC-Concurrent-To")]
            assert concurrent.get_header("WARC-Target-URI") == headers.get_header("WARC-Target-URI")
    (_, headers, fields) = next(r for r in records if r[0] == "metadata")
    assert headers.get_header("WARC-Target-URI") == url
    assert headers.get_header("Content-Type") == "application/warc-fields"
    lines = fields.decode().splitlines()
    assert f"outlink: {http_server.url('/site.css')} E link/@href" in lines
    assert f"outlink: {http_server.url('/photo.png')} E img/@src" in lines
    assert f"outlink: {http_server.url('/other.html')} L a/@href" in lines  # no #fragment
    assert "outlink: https://example.org/elsewhere L a/@href" in lines
    assert not any("mailto:" in line for line in lines)


def test_the_metadata_record_says_where_a_redirect_came_from(http_server, owner, tmp_path):
    page = serve_site(http_server)
    start = http_server.redirect("/old", to="/page.html")
    records = records_of(download_warc(owner, capture(owner, start).pk, tmp_path).read_bytes())
    (_, headers, fields) = next(r for r in records if r[0] == "metadata")
    assert headers.get_header("WARC-Target-URI") == page
    assert f"via: {start}" in fields.decode().splitlines()


def test_an_image_kept_before_is_a_revisit_that_still_checks(http_server, owner, tmp_path):
    capture(owner, serve_site(http_server))
    second = capture(owner, serve_site(http_server, path="/second.html", title="Second"))
    warc = download_warc(owner, second.pk, tmp_path)
    assert warcio_check(warc).returncode == 0
    revisits = [h for kind, h, _ in records_of(warc.read_bytes()) if kind == "revisit"]
    assert [h.get_header("WARC-Target-URI") for h in revisits] == [http_server.url("/photo.png")]
    profile = "http://netpreserve.org/warc/1.1/revisit/identical-payload-digest"
    assert revisits[0].get_header("WARC-Profile") == profile
    assert revisits[0].get_header("WARC-Refers-To-Target-URI") == http_server.url("/photo.png")


def test_broken_markup_still_gets_a_metadata_record(http_server, owner, tmp_path):
    http_server.route(
        "/broken.html",
        body=b"<html><a href='/x'\x00\xff<<img src=",
        headers=[("Content-Type", "text/html")],
    )
    snapshot = capture_and_follow(add_link(owner, http_server.url("/broken.html")).snapshot.pk)
    warc = download_warc(owner, snapshot.pk, tmp_path)
    assert warcio_check(warc).returncode == 0
    assert [kind for kind, _, _ in records_of(warc.read_bytes())].count("metadata") == 1


def test_warcio_check_catches_a_damaged_record(http_server, owner, tmp_path):
    """The check above means something: one flipped byte of a body is a digest failure."""
    from warcio.archiveiterator import ArchiveIterator

    snapshot = capture(owner, serve_site(http_server))
    from linkhome.archive.artifacts import artifact_bytes

    raw = artifact_bytes(snapshot.artifacts.get(kind="warc"))
    damaged = raw.replace("档案馆".encode(), "档案舘".encode(), 1)
    assert damaged != raw and len(damaged) == len(raw)
    path = tmp_path / "damaged.warc"
    path.write_bytes(damaged)
    checked = warcio_check(path)
    assert checked.returncode != 0 and "digest failed" in checked.stdout
    assert sum(1 for _ in ArchiveIterator(path.open("rb"))) == len(records_of(raw))
