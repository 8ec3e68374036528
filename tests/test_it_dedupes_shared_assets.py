"""A site's shared assets are stored once: WARC revisit records and shared single-file blobs."""

import io

import pytest
from warcio.archiveiterator import ArchiveIterator

from linkhome.archive.artifacts import artifact_bytes
from linkhome.archive.packing import shared_blobs
from linkhome.links.services import add_link
from linkhome.storage.blobs import read_blob
from linkhome.testing.images import png
from linkhome.worker.sequence import capture_and_follow

pytestmark = pytest.mark.django_db(transaction=True)
LOGO = png(80, 60, seed=3)


def serve_two_pages(http_server) -> list[str]:
    http_server.route("/logo.png", body=LOGO, headers=[("Content-Type", "image/png")])
    for name in ("a", "b"):
        page = (
            f"<html><title>{name}</title><body><img src=/logo.png><p>page {name}</p></body></html>"
        )
        http_server.route(f"/{name}", body=page.encode(), headers=[("Content-Type", "text/html")])
    return [http_server.url("/a"), http_server.url("/b")]


def warc_records(snapshot) -> list:
    warc = artifact_bytes(snapshot.artifacts.get(kind="warc"))
    return [
        (r.rec_type, r.rec_headers.get_header("WARC-Target-URI"), r.rec_headers)
        for r in ArchiveIterator(io.BytesIO(warc))
    ]


def test_the_second_page_writes_a_revisit_record_for_the_shared_image(http_server, owner):
    first_url, second_url = serve_two_pages(http_server)
    first = capture_and_follow(add_link(owner, first_url).snapshot.pk)
    second = capture_and_follow(add_link(owner, second_url).snapshot.pk)
    logo = http_server.url("/logo.png")
    assert [t for t, uri, _ in warc_records(first) if uri == logo] == ["request", "response"]
    revisit = [h for t, uri, h in warc_records(second) if uri == logo and t == "revisit"]
    assert len(revisit) == 1
    assert revisit[0].get_header("WARC-Refers-To-Target-URI") == logo
    assert "identical-payload-digest" in revisit[0].get_header("WARC-Profile")


def test_the_single_file_references_the_shared_blob_and_downloads_complete(http_server, owner):
    first_url, second_url = serve_two_pages(http_server)
    snapshots = [
        capture_and_follow(add_link(owner, url).snapshot.pk) for url in (first_url, second_url)
    ]
    stored = [read_blob(s.artifacts.get(kind="single_file").sha256) for s in snapshots]
    assert shared_blobs(stored[0]) == shared_blobs(stored[1]) != set()
    assert len(stored[0]) < len(LOGO)  # the image is not inside the stored file
    complete = artifact_bytes(snapshots[0].artifacts.get(kind="single_file")).decode()
    assert "linkhome-blob:" not in complete and "data:image/png;base64," in complete


def test_revisits_never_point_into_another_persons_warc(http_server, owner, other_user):
    first_url, second_url = serve_two_pages(http_server)
    capture_and_follow(add_link(owner, first_url, visibility="private").snapshot.pk)
    others = capture_and_follow(add_link(other_user, second_url).snapshot.pk)
    logo = http_server.url("/logo.png")
    assert [t for t, uri, _ in warc_records(others) if uri == logo] == ["request", "response"]


def test_a_public_warc_never_points_into_a_private_one(http_server, owner):
    first_url, second_url = serve_two_pages(http_server)
    capture_and_follow(add_link(owner, first_url, visibility="private").snapshot.pk)
    public = capture_and_follow(add_link(owner, second_url).snapshot.pk)
    assert "revisit" not in [t for t, _, _ in warc_records(public)]
