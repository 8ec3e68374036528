"""Deleting a link: its rows and every blob only it used go; what others read stays whole."""

import gzip
import importlib
import io
import json

import pytest
from django.apps import apps as django_apps
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from warcio.archiveiterator import ArchiveIterator

from linkhome.archive.artifacts import artifact_bytes
from linkhome.archive.health import beat
from linkhome.archive.models import ArchivedPayload, Artifact, Snapshot
from linkhome.archive.payloads import DatabasePayloadIndex, RevisitTargetGone
from linkhome.archive.services import claim
from linkhome.cli.main import main as linkhome
from linkhome.links.deletion import LinkBusy, delete_link
from linkhome.links.models import Link, Tag
from linkhome.links.services import add_link, recapture
from linkhome.storage.blobs import blob_path, blob_storage, put_blob, read_blob, sha256_hex
from linkhome.storage.collect import collect
from linkhome.storage.models import Blob, BlobReference
from linkhome.testing.images import png
from linkhome.worker.sequence import capture_and_follow
from tests.test_api import api

pytestmark = pytest.mark.django_db(transaction=True)
LOGO = png(80, 60, seed=5)  # big enough (> 2 KiB) to be shared between snapshots
LOGO_SHA = sha256_hex(LOGO)


def page(name: str, charset: str = "utf-8") -> bytes:
    # Long enough (> 512 bytes) for its copies to be compressed against the body.
    text = f"<p>这是第 {name} 页的正文，讲的是经济体制改革。</p>" * 20
    return (
        f'<html><head><meta charset="{charset}"><title>页面 {name}</title></head>'
        f"<body><img src=/logo.png>{text}</body></html>"
    ).encode(charset)


def serve(http_server, *names: str, charset: str = "utf-8") -> list[str]:
    """Pages that all show the same logo, each with its own text, at /NAME."""
    http_server.route("/logo.png", body=LOGO, headers=[("Content-Type", "image/png")])
    for name in names:
        http_server.route(
            f"/{name}", body=page(name, charset), headers=[("Content-Type", "text/html")]
        )
    return [http_server.url(f"/{name}") for name in names]


def capture(owner, url: str, **options) -> Snapshot:
    snapshot = capture_and_follow(add_link(owner, url, **options).snapshot.pk)
    assert snapshot.status == "succeeded", snapshot.error
    return snapshot


def blobs_of(snapshot: Snapshot) -> set[str]:
    """Every blob the snapshot reads: its artifacts', their bases and what they refer to."""
    direct = {a.sha256 for a in snapshot.artifacts.all() if a.sha256}
    bases = set(Blob.objects.filter(sha256__in=direct).values_list("base", flat=True)) - {""}
    refs = BlobReference.objects.filter(source_id__in=direct)
    return direct | bases | set(refs.values_list("target_id", flat=True))


class file_of:  # noqa: N801 - reads as the Path it used to be
    """The stored object of a blob, in whichever store is in use (a folder or S3)."""

    def __init__(self, sha: str) -> None:
        self.name = blob_path(sha)

    def exists(self) -> bool:
        return blob_storage().exists(self.name)

    def unlink(self) -> None:
        blob_storage().delete(self.name)


# Deletion runs against a folder and a real S3 server (moto) in the tests about stored blobs.
on_both_stores = pytest.mark.usefixtures("blob_store")


def warc_of(snapshot: Snapshot) -> list[tuple]:
    """(type, target URI, record id, concurrent-to, payload) of each record."""
    artifact = Artifact.objects.get(snapshot=snapshot, kind="warc")
    return [
        (
            r.rec_type,
            r.rec_headers.get_header("WARC-Target-URI") or "",
            r.rec_headers.get_header("WARC-Record-ID"),
            r.rec_headers.get_header("WARC-Concurrent-To"),
            r.content_stream().read(),
        )
        for r in ArchiveIterator(io.BytesIO(artifact_bytes(artifact)))
    ]


def logo_records(snapshot: Snapshot) -> list[tuple[str, str, bytes]]:
    """(type, record id, payload) of the logo's response or revisit records."""
    return [
        (kind, ident, payload)
        for kind, uri, ident, _, payload in warc_of(snapshot)
        if uri.endswith("/logo.png") and kind in ("response", "revisit")
    ]


@on_both_stores
def test_deleting_removes_the_rows_and_every_blob_only_that_link_used(http_server, owner):
    (url,) = serve(http_server, "a")
    snapshot = capture(owner, url, tags=["新闻"])
    used, artifacts = blobs_of(snapshot), snapshot.artifacts.count()
    assert LOGO_SHA in used and all(file_of(sha).exists() for sha in used)

    deleted = delete_link(snapshot.link)

    assert (deleted.snapshots, deleted.artifacts) == (1, artifacts)
    assert deleted.blobs_removed == len(used) and deleted.bytes_freed > 0
    assert not Link.objects.exists() and not Snapshot.objects.exists()
    assert not Artifact.objects.exists() and not ArchivedPayload.objects.exists()
    assert not Blob.objects.exists() and not BlobReference.objects.exists()
    assert not any(file_of(sha).exists() for sha in used)
    assert Tag.objects.filter(owner=owner, name="新闻", links=None).exists()


@on_both_stores
def test_an_asset_shared_with_another_persons_snapshot_survives(http_server, owner, other_user):
    mine_url, theirs_url = serve(http_server, "a", "b")
    mine = capture(owner, mine_url)
    theirs = capture(other_user, theirs_url)
    only_mine = blobs_of(mine) - blobs_of(theirs)

    delete_link(mine.link)

    assert Blob.objects.filter(sha256=LOGO_SHA).exists() and file_of(LOGO_SHA).exists()
    assert not any(file_of(sha).exists() for sha in only_mine)
    client = api(other_user)
    single = client.get(f"/api/snapshots/{theirs.pk}/artifacts/single_file")
    assert single.status_code == 200 and b"data:image/png;base64," in single.content
    assert b"linkhome-blob:" not in single.content
    warc = client.get(f"/api/snapshots/{theirs.pk}/artifacts/warc")
    assert warc.status_code == 200
    assert [payload for kind, _, payload in logo_records(theirs)] == [LOGO]


@on_both_stores
def test_a_revisit_into_the_deleted_warc_gets_the_payload_back(http_server, owner):
    first_url, second_url, third_url = serve(http_server, "a", "b", "c")
    first = capture(owner, first_url)
    second = capture(owner, second_url)
    ((kind, record_id, _),) = logo_records(second)
    assert kind == "revisit"  # the logo is deduped against the first page's WARC
    first_warc = Artifact.objects.get(snapshot=first, kind="warc").sha256

    delete_link(first.link)

    assert logo_records(second) == [("response", record_id, LOGO)]
    pairs = [concurrent for _, _, _, concurrent, _ in warc_of(second)]
    assert record_id in pairs  # its request record still pairs with it
    download = api(owner).get(f"/api/snapshots/{second.pk}/artifacts/warc")
    assert download.status_code == 200 and LOGO in gzip.decompress(download.content)
    rewritten = Artifact.objects.get(snapshot=second, kind="warc").sha256
    raw = Artifact.objects.get(snapshot=second, kind="raw_html").sha256
    assert Blob.objects.get(sha256=rewritten).base == raw  # still stored as a delta
    assert not Blob.objects.filter(sha256=first_warc).exists()
    assert not file_of(first_warc).exists()
    third = capture(owner, third_url)  # nothing left to point at: recorded in full
    assert [kind for kind, _, _ in logo_records(third)] == ["response"]


def test_revisits_into_a_restored_warc_are_restored_when_it_goes_too(http_server, owner):
    # a holds the logo; b revisits a's logo and holds the photo; c revisits b's photo.
    photo = png(90, 70, seed=7)
    http_server.route("/photo.png", body=photo, headers=[("Content-Type", "image/png")])
    a_url, b_url, c_url = serve(http_server, "a", "b", "c")
    http_server.route("/b", body=page("b").replace(b"<img", b"<img src=/photo.png><img"))
    http_server.route("/c", body=page("c").replace(b"/logo.png", b"/photo.png"))
    a, b, c = (capture(owner, url) for url in (a_url, b_url, c_url))
    assert [kind for kind, uri, *_ in warc_of(c) if uri.endswith("/photo.png")][-1] == "revisit"

    delete_link(a.link)  # b gets the logo back; c's revisit now points into b's new WARC
    delete_link(b.link)

    photos = [(kind, body) for kind, uri, _, _, body in warc_of(c) if uri.endswith("/photo.png")]
    assert photos[-1] == ("response", photo)


def test_deleting_the_revisiting_link_leaves_the_original_untouched(http_server, owner):
    first_url, second_url = serve(http_server, "a", "b")
    first = capture(owner, first_url)
    second = capture(owner, second_url)
    before = Artifact.objects.get(snapshot=first, kind="warc").sha256

    delete_link(second.link)

    assert Artifact.objects.get(snapshot=first, kind="warc").sha256 == before
    assert file_of(before).exists() and logo_records(first)[0][2] == LOGO
    assert ArchivedPayload.objects.filter(snapshot=first).exists()


@on_both_stores
def test_a_page_body_another_blob_is_compressed_against_survives(http_server, owner, other_user):
    # The same page in GBK and in UTF-8: different bytes received, the same decoded HTML,
    # which is stored once and compressed against the body of whoever kept it first.
    (gbk_url,) = serve(http_server, "a", charset="gbk")
    http_server.route("/utf8", body=page("a"), headers=[("Content-Type", "text/html")])
    mine = capture(owner, gbk_url)
    theirs = capture(other_user, http_server.url("/utf8"))
    mine_raw = Artifact.objects.get(snapshot=mine, kind="raw_html").sha256
    shared_html = Artifact.objects.get(snapshot=theirs, kind="html")
    assert Blob.objects.get(sha256=shared_html.sha256).base == mine_raw

    delete_link(mine.link)

    assert Blob.objects.filter(sha256=mine_raw).exists() and file_of(mine_raw).exists()
    assert "这是第 a 页的正文" in artifact_bytes(shared_html).decode()


@on_both_stores
def test_storage_keeps_a_blob_that_a_surviving_blob_is_compressed_against():
    body = "".join(f"<p>第{n}段：经济体制改革。</p>" for n in range(300)).encode()
    base = put_blob(body, "text/html").sha256
    derived = put_blob(body.replace(b"<p>", b"<p class=x>", 5), "text/html", base=base)
    assert Blob.objects.get(sha256=derived.sha256).base == base
    with transaction.atomic():
        kept = collect({base}, in_use=lambda shas: set())  # no artifact names either
    assert kept.blobs == 0 and file_of(base).exists()
    with transaction.atomic():
        gone = collect({derived.sha256}, in_use=lambda shas: set())
    assert gone.blobs == 2 and not Blob.objects.exists()  # the derived one, then its base


def test_only_the_owner_may_delete_through_the_api(owner, other_user):
    link = add_link(owner, "https://example.com/mine").link
    path = f"/api/links/{link.pk}"
    assert api(other_user).delete(path).status_code == 404
    assert api().delete(path).status_code == 401  # anonymous: not signed in at all
    assert Link.objects.filter(pk=link.pk).exists()
    assert api(owner).delete(path).status_code == 204
    assert api(owner).delete(path).status_code == 404
    assert not Link.objects.filter(pk=link.pk).exists()


def test_the_cli_deletes_only_the_acting_persons_links(owner, other_user, capsys):
    link = add_link(owner, "https://example.com/mine").link
    assert linkhome(["delete", str(link.pk), "--user", "other"]) == 1
    assert f"no link {link.pk}" in capsys.readouterr().err
    assert Link.objects.filter(pk=link.pk).exists()
    assert linkhome(["delete", str(link.pk), "--user", "owner", "--json"]) == 0
    shown = json.loads(capsys.readouterr().out)
    assert shown["link_id"] == link.pk and shown["snapshots"] == 1
    assert not Link.objects.filter(pk=link.pk).exists()


def test_a_link_a_live_worker_is_capturing_is_not_deleted(owner):
    added = add_link(owner, "https://example.com/busy")
    claim(added.snapshot.pk, "worker-1")
    beat("worker-1")
    with pytest.raises(LinkBusy, match="being captured"):
        delete_link(added.link)
    response = api(owner).delete(f"/api/links/{added.link.pk}")
    assert response.status_code == 409 and "being captured" in response.json()["detail"]
    assert Snapshot.objects.filter(pk=added.snapshot.pk, status="running").exists()


def test_a_capture_left_running_by_a_dead_worker_does_not_block(owner):
    added = add_link(owner, "https://example.com/stuck")
    claim(added.snapshot.pk, "worker-that-died")  # no heartbeat: nobody is on it
    assert delete_link(added.link).snapshots == 1


def test_a_queued_capture_of_a_deleted_link_is_skipped_by_the_worker(owner):
    added = add_link(owner, "https://example.com/queued")
    delete_link(added.link)
    assert capture_and_follow(added.snapshot.pk, "worker-1") is None
    assert not Blob.objects.exists()


def test_a_capture_whose_revisit_target_was_deleted_meanwhile_is_retried(http_server, owner):
    first_url, second_url = serve(http_server, "a", "b")
    first = capture(owner, first_url)
    pending = add_link(owner, second_url).snapshot
    index = DatabasePayloadIndex(Snapshot.objects.select_related("link").get(pk=pending.pk))
    assert index.prior(LOGO_SHA) is not None  # the running capture wrote a revisit

    delete_link(first.link)

    with pytest.raises(RevisitTargetGone):
        index.pointed_at()  # so its WARC is not stored pointing at nothing
    again = capture_and_follow(pending.pk)
    assert [kind for kind, _, _ in logo_records(again)] == ["response"]


@on_both_stores
def test_a_blob_file_already_missing_is_not_an_error(http_server, owner):
    (url,) = serve(http_server, "a")
    snapshot = capture(owner, url)
    raw = Artifact.objects.get(snapshot=snapshot, kind="raw_html").sha256
    file_of(raw).unlink()
    delete_link(snapshot.link)
    assert not Blob.objects.exists()


def test_deleting_costs_the_same_queries_however_many_snapshots(
    http_server, owner, other_user, django_assert_max_num_queries
):
    # Two owners, so no WARC of one points into the other's; each is captured again,
    # so each has WARCs pointing into its own first one.
    (url,) = serve(http_server, "a")
    few_link, many_link = capture(owner, url).link, capture(other_user, url).link
    capture_and_follow(recapture(few_link).pk)
    for _ in range(4):
        capture_and_follow(recapture(many_link).pk)
    assert Artifact.objects.filter(snapshot__link=many_link).count() > 4 * 7

    with CaptureQueriesContext(connection) as few:
        delete_link(few_link)
    assert len(few.captured_queries) < 80  # PostgreSQL counts its row locks and savepoints too
    with django_assert_max_num_queries(len(few.captured_queries)):
        delete_link(many_link)
    assert not Blob.objects.exists()


def test_existing_captures_get_their_references_on_upgrade(http_server, owner):
    first_url, second_url = serve(http_server, "a", "b")
    capture(owner, first_url)
    capture(owner, second_url)
    recorded = set(BlobReference.objects.values_list("source_id", "target_id"))
    warcs = set(Artifact.objects.filter(kind="warc").values_list("sha256", flat=True))
    assert any(source in warcs and target in warcs for source, target in recorded)
    BlobReference.objects.all().delete()  # as before the references existed

    migration = importlib.import_module(
        "linkhome.archive.migrations.0006_record_blob_references_of_existing_captures"
    )
    migration.record_references(django_apps, None)

    assert set(BlobReference.objects.values_list("source_id", "target_id")) == recorded
    assert read_blob(LOGO_SHA) == LOGO
