"""LINKHOME_STORAGE=s3 end to end, against a real S3 API server (moto in server mode on
127.0.0.1, started by the `s3_server` fixture): capture, serve, export and delete with every
blob in the bucket, large artifacts streamed both ways, and the store going away mid-capture.
The blob store's own tests and the deletion tests also run on both stores (`blob_store`)."""

import gzip
import io
import os
import zipfile

import pytest
from botocore.config import Config
from django.test import Client

from linkhome.archive.models import Artifact, Snapshot
from linkhome.archive.wacz_export import write_wacz
from linkhome.links.deletion import delete_link
from linkhome.links.services import add_link
from linkhome.settings import s3_blob_store
from linkhome.storage.blobs import blob_path, read_blob, sha256_hex
from linkhome.storage.models import Blob
from linkhome.testing.images import png
from linkhome.testing.s3 import ACCESS_KEY, SECRET_KEY
from linkhome.worker.sequence import capture_and_follow

pytestmark = pytest.mark.django_db(transaction=True)
LOGO = png(120, 90, seed=7)  # > 2 KiB: stored as a shared blob the single file refers to
PAGE = (
    "<html><head><meta charset=utf-8><title>存储测试</title></head><body>"
    + "<p>经济体制改革是一项复杂的系统工程，需要长期坚持。</p>" * 40
    + "<img src=/logo.png></body></html>"
).encode()


def serve_page(http_server, logo_handler=None) -> str:
    if logo_handler is None:
        http_server.route("/logo.png", body=LOGO, headers=[("Content-Type", "image/png")])
    else:
        http_server.route("/logo.png", handler=logo_handler)
    http_server.route("/page", body=PAGE, headers=[("Content-Type", "text/html")])
    return http_server.url("/page")


def local_files(settings) -> set[str]:
    root = settings.BLOB_DIR
    return {os.path.join(d, f) for d, _, files in os.walk(root) for f in files}


def assert_nothing_half_written_is_referenced(s3_server, bucket: str) -> None:
    """Every Blob row has its object; every artifact with content names a readable blob."""
    keys = s3_server.keys(bucket)
    rows = set(Blob.objects.values_list("sha256", flat=True))
    assert {blob_path(sha) for sha in rows} <= keys
    named = set(Artifact.objects.exclude(sha256="").values_list("sha256", flat=True))
    assert named <= rows
    for sha in named:
        assert sha256_hex(read_blob(sha)) == sha


def test_a_capture_is_stored_served_exported_and_deleted_on_s3(
    http_server, owner, s3_server, s3_blobs, settings, tmp_path
):
    on_disk_before = local_files(settings)  # this process's other tests may have left some
    snapshot = capture_and_follow(add_link(owner, serve_page(http_server)).snapshot.pk)
    assert snapshot.status == "succeeded", snapshot.error
    shas = set(Blob.objects.values_list("sha256", flat=True))
    assert sha256_hex(LOGO) in shas  # the single file's shared asset
    assert {blob_path(sha) for sha in shas} == s3_server.keys(s3_blobs)
    assert local_files(settings) == on_disk_before  # nothing went to the data directory

    web = Client()
    single = web.get(f"/s/{snapshot.pk}/a/single_file/")
    assert single.status_code == 200 and "经济体制改革".encode() in single.content
    assert "Content-Security-Policy" in single.headers
    warc = gzip.decompress(web.get(f"/s/{snapshot.pk}/a/warc/").content)
    assert PAGE in warc and LOGO in warc

    out = tmp_path / "one.wacz"
    assert write_wacz([snapshot], out, title="s3") == 1
    with zipfile.ZipFile(out) as package:
        names = package.namelist()
        assert any(name.endswith(".warc.gz") for name in names)
        assert "存储测试" in package.read("pages/pages.jsonl").decode()

    delete_link(snapshot.link)
    assert Blob.objects.count() == 0 and s3_server.keys(s3_blobs) == set()


def test_large_artifacts_stream_to_and_from_s3(http_server, owner, s3_blobs, settings):
    body = os.urandom(12 * 1024 * 1024)  # past the 8 MiB spool: through temporary files
    http_server.route("/big.bin", body=body, headers=[("Content-Type", "application/x-data")])
    snapshot = capture_and_follow(add_link(owner, http_server.url("/big.bin")).snapshot.pk)
    assert snapshot.status in ("succeeded", "partial"), snapshot.error
    document = Artifact.objects.get(snapshot=snapshot, kind="document")
    assert document.sha256 == sha256_hex(body)

    web = Client()
    download = web.get(f"/s/{snapshot.pk}/a/document/")
    assert download.streaming and int(download["Content-Length"]) == len(body)
    assert b"".join(download.streaming_content) == body
    warc = web.get(f"/s/{snapshot.pk}/a/warc/")
    assert warc.streaming
    assert body in gzip.GzipFile(fileobj=io.BytesIO(b"".join(warc.streaming_content))).read()


def test_the_store_going_away_mid_capture_is_retried_and_leaves_nothing_half_written(
    http_server, owner, s3_server, s3_blobs, settings
):
    # Short client timeouts, no retries inside boto: the outage reaches the capture at once.
    config = s3_blob_store(s3_blobs, s3_server.endpoint)
    config["OPTIONS"] |= {
        "access_key": ACCESS_KEY,
        "secret_key": SECRET_KEY,
        "client_config": Config(
            connect_timeout=1,
            read_timeout=1,
            retries={"max_attempts": 1, "mode": "standard"},
            s3={"addressing_style": "path"},
        ),
    }
    settings.STORAGES = {**settings.STORAGES, "blobs": config}
    served = []

    def logo_then_stop_the_store(request):
        if not served:  # the page's own blobs are stored; the single file's are next
            s3_server.pause()
        served.append(request.path)
        return 200, [("Content-Type", "image/png")], LOGO

    snapshot = add_link(owner, serve_page(http_server, logo_then_stop_the_store)).snapshot
    try:
        first = capture_and_follow(snapshot.pk)
    finally:
        s3_server.resume()
    assert first.status == "queued" and first.attempts == 1
    assert "the blob store is unavailable" in first.error
    assert Artifact.objects.filter(snapshot=snapshot).exclude(sha256="").exists()
    assert not Artifact.objects.filter(snapshot=snapshot, kind="warc").exists()
    assert_nothing_half_written_is_referenced(s3_server, s3_blobs)

    Snapshot.objects.filter(pk=snapshot.pk).update(retry_after=None)
    second = capture_and_follow(snapshot.pk)
    assert second.status == "succeeded" and second.attempts == 2, second.error
    kinds = set(Artifact.objects.filter(snapshot=snapshot).values_list("kind", flat=True))
    assert {"warc", "single_file", "raw_html", "readable"} <= kinds
    assert_nothing_half_written_is_referenced(s3_server, s3_blobs)
