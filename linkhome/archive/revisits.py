"""Revisit records whose original is being deleted become full response records again.

A revisit record (identical-payload-digest) keeps an exchange's HTTP headers but not its
body: the body is in the first WARC that recorded it (capture.payloads), always one of the
same owner's. Deleting that WARC would leave the revisit pointing at nothing, and keeping
it would keep a deleted page. Instead each WARC that points into it gets the body back:
same record id, date, target URI and HTTP headers, the payload checked against the
revisit's own digest. The exchange is recorded exactly as before, only no longer deduped.
"""

import io
from collections.abc import Iterator

from django.db.models import QuerySet
from warcio.archiveiterator import ArchiveIterator
from warcio.recordloader import ArcWarcRecord
from warcio.warcwriter import WARCWriter

from linkhome.archive.models import ArchivedPayload, Artifact, ArtifactKind, ArtifactStatus
from linkhome.archive.warc_export import WARC_VERSION
from linkhome.storage.blobs import put_blob, read_blob
from linkhome.storage.models import Blob, BlobReference

# (WARC-Target-URI, WARC-Date) of an original record: what a revisit names it by.
RecordKey = tuple[str, str]
# The deleted records a revisit may name, with their payloads (None: not found as named).
Bodies = dict[RecordKey, bytes | None]
# Headers that describe a revisit, or that the writer computes again for the full record.
REVISIT_ONLY = {
    "warc-type",
    "warc-profile",
    "warc-refers-to",
    "warc-refers-to-target-uri",
    "warc-refers-to-date",
    "warc-payload-digest",
    "warc-block-digest",
    "warc-truncated",
    "content-type",
    "content-length",
}


class RevisitUnresolved(RuntimeError):
    """A revisit points into a deleted WARC whose original record is not there as named."""


def restore_revisits(deleted: set[int]) -> set[str]:
    """Give the body back to every WARC outside the `deleted` snapshots whose revisit
    records point into theirs. Returns the WARC blobs replaced: nothing uses them now."""
    originals = set(_warcs(Artifact.objects.filter(snapshot_id__in=deleted)))
    # A WARC another snapshot still names (one shared by 保存到我的链接: archive.sharing)
    # stays, and the revisits pointing into it stay good.
    originals -= set(
        _warcs(Artifact.objects.filter(sha256__in=originals).exclude(snapshot_id__in=deleted))
    )
    dependents = _dependents(originals, deleted)
    if not dependents:
        return set()
    bodies = _original_bodies(originals, _pointable(deleted))
    for old in dependents:
        _follow(old, _replace(old, originals, bodies, deleted))
    return dependents


def _warcs(artifacts: QuerySet) -> QuerySet:
    ok = artifacts.filter(kind=ArtifactKind.WARC, status=ArtifactStatus.OK)
    return ok.values_list("sha256", flat=True)


def _dependents(originals: set[str], deleted: set[int]) -> set[str]:
    if not originals:
        return set()
    sources = BlobReference.objects.filter(target_id__in=originals).values("source_id")
    survivors = Artifact.objects.filter(sha256__in=sources).exclude(snapshot_id__in=deleted)
    return set(_warcs(survivors))


def _pointable(deleted: set[int]) -> set[RecordKey]:
    """The records of the deleted WARCs that a revisit may name (capture.payloads)."""
    rows = ArchivedPayload.objects.filter(snapshot_id__in=deleted)
    return set(rows.values_list("url", "warc_date"))


def _original_bodies(originals: set[str], wanted: set[RecordKey]) -> Bodies:
    bodies: Bodies = dict.fromkeys(wanted)
    for sha in originals:
        for record, payload, _ in _records(read_blob(sha)):
            key = (record.rec_headers.get_header("WARC-Target-URI"), _date(record))
            if record.rec_type == "response" and key in wanted:
                bodies[key] = payload
    return bodies


def _replace(old: str, originals: set[str], bodies: Bodies, deleted: set[int]) -> str:
    row = Blob.objects.get(sha256=old)
    others = BlobReference.objects.filter(source_id=old).exclude(target_id__in=originals)
    new = put_blob(
        _with_bodies(read_blob(old), bodies),
        "application/warc",
        base=row.base,  # still the same page body it was compressed against
        refs=others.values_list("target_id", flat=True),
    )
    artifacts = Artifact.objects.filter(kind=ArtifactKind.WARC, sha256=old)
    artifacts.exclude(snapshot_id__in=deleted).update(sha256=new.sha256, size=new.size)
    return new.sha256


def _follow(old: str, new: str) -> None:
    """WARCs whose revisits point at records the replaced WARC holds (copied unchanged)
    now need the new one: deleting it later must find and restore them."""
    BlobReference.objects.filter(target_id=old).exclude(source_id=new).update(target_id=new)


def _with_bodies(warc: bytes, bodies: Bodies) -> bytes:
    """The WARC with every revisit whose original is in `bodies` written out in full; every
    other record is copied byte for byte."""
    out = io.BytesIO()
    for record, _, raw in _records(warc):
        key = (record.rec_headers.get_header("WARC-Refers-To-Target-URI"), _refers_to_date(record))
        if record.rec_type == "revisit" and key in bodies:
            raw = _full_record(record, bodies[key])
        out.write(raw)
    return out.getvalue()


def _full_record(revisit: ArcWarcRecord, body: bytes | None) -> bytes:
    record_id = revisit.rec_headers.get_header("WARC-Record-ID")
    if body is None:  # refusing beats leaving the revisit dangling
        raise RevisitUnresolved(f"the original of {record_id} is not in its WARC")
    out = io.BytesIO()
    writer = WARCWriter(out, gzip=False, warc_version=WARC_VERSION)
    headers = {k: v for k, v in revisit.rec_headers.headers if k.lower() not in REVISIT_ONLY}
    record = writer.create_warc_record(
        revisit.rec_headers.get_header("WARC-Target-URI"),
        "response",
        payload=io.BytesIO(body),
        length=len(body),
        http_headers=revisit.http_headers,
        warc_headers_dict=headers,
    )
    digest = revisit.rec_headers.get_header("WARC-Payload-Digest")
    if record.rec_headers.get_header("WARC-Payload-Digest") != digest:
        raise RevisitUnresolved(f"the original of {record_id} has another payload")
    writer.write_record(record)
    return out.getvalue()


def with_full_records(warc: bytes, originals: set[str]) -> bytes:
    """The WARC with each revisit whose original is in one of the `originals` WARC blobs
    written out in full: an export that leaves those WARCs out still replays whole."""
    found = _original_bodies(originals, revisit_targets(warc))
    return _with_bodies(warc, {key: body for key, body in found.items() if body is not None})


def revisit_targets(warc: bytes) -> set[RecordKey]:
    """The original records (target URI, date) that the WARC's revisit records name."""
    return {
        (record.rec_headers.get_header("WARC-Refers-To-Target-URI"), _refers_to_date(record))
        for record, _, _ in _records(warc)
        if record.rec_type == "revisit"
    }


def _records(warc: bytes) -> Iterator[tuple[ArcWarcRecord, bytes, bytes]]:
    """Each record with its payload (as stored, after the HTTP headers) and its raw bytes,
    up to the next record: the separator after a record is not in its reported length."""
    records = ArchiveIterator(io.BytesIO(warc))
    parsed = [(record, record.raw_stream.read(), records.get_record_offset()) for record in records]
    ends = [start for _, _, start in parsed[1:]] + [len(warc)]
    for (record, payload, start), end in zip(parsed, ends, strict=True):
        yield record, payload, warc[start:end]


def _date(record: ArcWarcRecord) -> str:
    return record.rec_headers.get_header("WARC-Date")


def _refers_to_date(record: ArcWarcRecord) -> str:
    return record.rec_headers.get_header("WARC-Refers-To-Date")
