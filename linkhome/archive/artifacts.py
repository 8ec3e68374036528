"""Artifacts of a snapshot: bytes go to the blob store, the row keeps the hash."""

import io
import shutil
import tempfile
from collections.abc import Iterable
from typing import IO

from django.db import transaction

from linkhome.archive.models import Artifact, ArtifactKind, ArtifactStatus, Snapshot
from linkhome.archive.packing import shared_blobs, unpack
from linkhome.storage.blobs import SPOOL_BYTES, open_blob, put_blob, put_blob_file, read_blob
from linkhome.storage.collect import collect


def _save(snapshot: Snapshot, kind: str, **fields: object) -> Artifact:
    """Create or replace the snapshot's artifact of this kind. A replaced blob nothing else
    needs is removed: left behind, it would also keep alive the page body it is compressed
    against after the snapshot is deleted (a readable stored twice, say: first without its
    images, then with them)."""
    defaults = {"status": ArtifactStatus.OK, "error": "", **fields}
    with transaction.atomic():
        before = Artifact.objects.filter(snapshot=snapshot, kind=kind).values_list("sha256")
        replaced = {sha for (sha,) in before}
        artifact, _ = Artifact.objects.update_or_create(
            snapshot=snapshot, kind=kind, defaults=defaults
        )
        if replaced - {artifact.sha256, ""}:
            collect(replaced - {artifact.sha256}, blobs_in_use)
    return artifact


def blobs_in_use(shas: set[str]) -> set[str]:
    """Of these blobs, the ones an artifact names (the InUse that storage.collect asks)."""
    return set(Artifact.objects.filter(sha256__in=shas).values_list("sha256", flat=True))


def store_artifact(
    snapshot: Snapshot,
    kind: str,
    data: bytes | IO[bytes],
    mime: str,
    *,
    base: str = "",
    refs: Iterable[str] = (),
) -> Artifact:
    """`data`: the bytes, or a seekable file of them (a WARC spooled to disk), read in pieces.
    `base`: the sha256 of the page body when `data` is mostly made of it (see storage);
    `refs`: blobs `data` cannot be read whole without (the WARCs its revisits point into)."""
    if isinstance(data, bytes):
        if kind == ArtifactKind.SINGLE_FILE:
            # The packed file names its shared assets; storage keeps them while it needs them.
            refs = {*refs, *shared_blobs(data)}
        blob = put_blob(data, mime, base=base, refs=refs)
    else:
        assert kind != ArtifactKind.SINGLE_FILE, "a single file is packed in memory"
        blob = put_blob_file(data, mime, base=base, refs=refs)
    return _save(snapshot, kind, sha256=blob.sha256, size=blob.size, mime=mime)


def fail_artifact(snapshot: Snapshot, kind: str, error: str) -> Artifact:
    return _save(
        snapshot, kind, status=ArtifactStatus.FAILED, sha256="", size=0, mime="", error=error[:2000]
    )


def skip_artifact(snapshot: Snapshot, kind: str, reason: str) -> Artifact:
    """Not made on purpose (a setting), which is not a failure of the snapshot."""
    return _save(
        snapshot, kind, status=ArtifactStatus.SKIPPED, sha256="", size=0, mime="", error=reason
    )


def _check_content(artifact: Artifact) -> None:
    if artifact.status != ArtifactStatus.OK or not artifact.sha256:
        raise FileNotFoundError(f"artifact {artifact.kind} has no content ({artifact.error})")


def artifact_bytes(artifact: Artifact) -> bytes:
    _check_content(artifact)
    data = read_blob(artifact.sha256)
    return unpack(data) if artifact.kind == ArtifactKind.SINGLE_FILE else data


def artifact_file(artifact: Artifact) -> IO[bytes]:
    """The artifact's bytes as a temporary file at its start (in memory up to SPOOL_BYTES, on
    disk past that), read from the store a piece at a time; the caller closes it. A single
    file is expanded in memory: its text is rewritten as a whole."""
    _check_content(artifact)
    if artifact.kind == ArtifactKind.SINGLE_FILE:
        return io.BytesIO(artifact_bytes(artifact))
    spool = tempfile.SpooledTemporaryFile(max_size=SPOOL_BYTES)  # noqa: SIM115 - the caller's
    try:
        with open_blob(artifact.sha256) as stream:
            shutil.copyfileobj(stream, spool, 1024 * 1024)
    except BaseException:
        spool.close()
        raise
    spool.seek(0)
    return spool
