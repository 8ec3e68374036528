"""Artifacts of a snapshot: bytes go to the blob store, the row keeps the hash."""

from collections.abc import Iterable

from django.db import transaction

from linkhome.archive.models import Artifact, ArtifactKind, ArtifactStatus, Snapshot
from linkhome.archive.packing import shared_blobs, unpack
from linkhome.storage.blobs import put_blob, read_blob
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
    data: bytes,
    mime: str,
    *,
    base: str = "",
    refs: Iterable[str] = (),
) -> Artifact:
    """`base`: the sha256 of the page body when `data` is mostly made of it (see storage);
    `refs`: blobs `data` cannot be read whole without (the WARCs its revisits point into)."""
    if kind == ArtifactKind.SINGLE_FILE:
        # The packed file names its shared assets; storage keeps them while it needs them.
        refs = {*refs, *shared_blobs(data)}
    blob = put_blob(data, mime, base=base, refs=refs)
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


def artifact_bytes(artifact: Artifact) -> bytes:
    if artifact.status != ArtifactStatus.OK or not artifact.sha256:
        raise FileNotFoundError(f"artifact {artifact.kind} has no content ({artifact.error})")
    data = read_blob(artifact.sha256)
    return unpack(data) if artifact.kind == ArtifactKind.SINGLE_FILE else data
