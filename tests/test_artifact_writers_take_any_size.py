"""The class of item 2: every artifact writer with an empty, a 1-byte and a large input.

A writer that chokes on a size nobody tried (an empty page body as a compression
dictionary) costs the whole capture; each one is tried here with the sizes pages have.
"""

import io
from datetime import UTC, datetime

import pytest
from warcio.archiveiterator import ArchiveIterator

from linkhome.archive.artifacts import artifact_bytes, store_artifact
from linkhome.archive.models import ArtifactKind
from linkhome.archive.packing import embed_shared, unpack
from linkhome.archive.warc_export import gzip_per_record
from linkhome.capture.steps.record import WarcRecorder
from linkhome.lib.safe_http import Exchange
from linkhome.links.services import add_link
from linkhome.storage.blobs import put_blob, read_blob
from linkhome.worker.sequence import capture_and_follow

LARGE = 3 * 1024 * 1024


def sized(size: int) -> bytes:
    """`size` bytes of page-like UTF-8 text (single files must be UTF-8)."""
    if size <= 1:
        return b"x"[:size]
    line = "<p>第 %d 行 line of text, 正文 more text</p>\n"
    text = "".join(line % n for n in range(size // 40 + 1)).encode("utf-8")
    return text[:size].decode("utf-8", "ignore").encode("utf-8")


SIZES = pytest.mark.parametrize("size", [0, 1, LARGE], ids=["empty", "1-byte", "large"])


@pytest.mark.django_db
@SIZES
@pytest.mark.parametrize("base_size", [0, 1, 7, 8, LARGE], ids=lambda n: f"base{n}")
def test_a_blob_derived_from_a_page_body_of_any_size_reads_back(size, base_size):
    base = put_blob(sized(base_size), "text/html").sha256
    data = sized(size) + b"<!-- derived -->"
    stored = put_blob(data, "text/html; charset=utf-8", base=base)
    assert read_blob(stored.sha256) == data


@pytest.mark.django_db
@SIZES
@pytest.mark.parametrize("kind", [k.value for k in ArtifactKind])
def test_every_artifact_kind_stores_and_reads_back_any_size(owner, kind, size):
    snapshot = add_link(owner, f"https://example.com/{kind}/{size}").snapshot
    body = sized(size)
    base = store_artifact(snapshot, ArtifactKind.RAW_HTML, body, "text/html").sha256
    derived = sized(size)[: size // 2]  # a decoded or trimmed copy, shorter than the body
    artifact = store_artifact(snapshot, kind, derived, "text/html; charset=utf-8", base=base)
    assert artifact_bytes(artifact) == derived and artifact.size == len(derived)


@pytest.mark.django_db
@SIZES
def test_a_shared_asset_of_any_size_unpacks_to_its_data_uri(size):
    reference = embed_shared("image/png", b"\x89PNG" * (size // 4) + b"\x00" * (size % 4))
    packed = f'<img src="{reference}">'.encode()
    unpacked = unpack(packed).decode()
    assert unpacked.startswith('<img src="data:image/png') and unpacked.endswith('">')


@SIZES
def test_the_warc_holds_a_body_of_any_size_and_exports_per_record(size):
    body = sized(size)
    recorder = WarcRecorder()
    recorder.add(exchange(body))
    warc = recorder.getvalue()
    for stored in (warc, gzip_per_record(warc)):
        records = list(_records(stored))
        assert [r[0] for r in records] == ["warcinfo", "request", "response", "metadata"]
        assert records[2][1].endswith(body) or not body


@pytest.mark.django_db(transaction=True)
# 256 KiB, not 3 MiB: extracting the text of a large page is slow, and not what is tried.
@pytest.mark.parametrize("size", [1, 256 * 1024], ids=["1-byte", "large"])
@pytest.mark.parametrize(
    "content_type", ["text/html; charset=utf-8", "text/plain; charset=utf-8", "image/png"]
)
def test_a_page_of_any_size_is_captured_in_one_attempt(http_server, owner, size, content_type):
    http_server.route("/page", body=sized(size), headers=[("Content-Type", content_type)])
    snapshot = capture_and_follow(add_link(owner, http_server.url("/page")).snapshot.pk)
    assert snapshot.attempts == 1 and snapshot.status in ("succeeded", "partial")
    assert "internal error" not in snapshot.error
    assert {"warc", "headers"} <= {a.kind for a in snapshot.artifacts.filter(status="ok")}


def exchange(body: bytes) -> Exchange:
    return Exchange(
        url="https://example.com/page",
        method="GET",
        request_headers=[("Host", "example.com")],
        http_version="HTTP/1.1",
        status=200,
        reason="OK",
        response_headers=[("Content-Type", "text/html"), ("Content-Length", str(len(body)))],
        raw_body=body,
        body=body,
        peer_ip="93.184.216.34",
        started_at=datetime(2026, 1, 2, 3, 4, 5, tzinfo=UTC),
    )


def _records(warc: bytes):  # noqa: ANN202
    for record in ArchiveIterator(io.BytesIO(warc)):
        yield record.rec_type, record.content_stream().read()
