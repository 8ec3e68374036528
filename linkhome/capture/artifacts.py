"""Artifacts of a snapshot: bytes go to the blob store, the row keeps the hash."""

from linkhome.capture.models import Artifact, ArtifactKind, ArtifactStatus, Snapshot
from linkhome.capture.packing import unpack
from linkhome.storage.blobs import put_blob, read_blob


def store_artifact(snapshot: Snapshot, kind: str, data: bytes, mime: str) -> Artifact:
    blob = put_blob(data, mime)
    artifact, _ = Artifact.objects.update_or_create(
        snapshot=snapshot,
        kind=kind,
        defaults={
            "status": ArtifactStatus.OK,
            "sha256": blob.sha256,
            "size": blob.size,
            "mime": mime,
            "error": "",
        },
    )
    return artifact


def fail_artifact(snapshot: Snapshot, kind: str, error: str) -> Artifact:
    artifact, _ = Artifact.objects.update_or_create(
        snapshot=snapshot,
        kind=kind,
        defaults={
            "status": ArtifactStatus.FAILED,
            "sha256": "",
            "size": 0,
            "mime": "",
            "error": error[:2000],
        },
    )
    return artifact


def artifact_bytes(artifact: Artifact) -> bytes:
    if artifact.status != ArtifactStatus.OK or not artifact.sha256:
        raise FileNotFoundError(f"artifact {artifact.kind} has no content ({artifact.error})")
    data = read_blob(artifact.sha256)
    return unpack(data) if artifact.kind == ArtifactKind.SINGLE_FILE else data
