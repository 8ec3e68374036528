"""Artifacts of a snapshot: bytes go to the blob store, the row keeps the hash."""

from collections.abc import Iterable

from linkhome.capture.models import Artifact, ArtifactKind, ArtifactStatus, Snapshot
from linkhome.capture.packing import shared_blobs, unpack
from linkhome.storage.blobs import put_blob, read_blob


def _save(snapshot: Snapshot, kind: str, **fields: object) -> Artifact:
    defaults = {"status": ArtifactStatus.OK, "error": "", **fields}
    artifact, _ = Artifact.objects.update_or_create(snapshot=snapshot, kind=kind, defaults=defaults)
    return artifact


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
