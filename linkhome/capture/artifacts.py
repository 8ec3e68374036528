"""Artifacts of a snapshot: bytes go to the blob store, the row keeps the hash.

sha256 always names the artifact's content. Most artifacts keep their bytes in a blob of
that name; the page body as received (source "warc") is read out of the snapshot's WARC.
"""

import hashlib
import io

from warcio.archiveiterator import ArchiveIterator

from linkhome.capture.models import Artifact, ArtifactKind, ArtifactSource, ArtifactStatus, Snapshot
from linkhome.capture.packing import unpack
from linkhome.storage.blobs import put_blob, read_blob


def _save(snapshot: Snapshot, kind: str, **fields: object) -> Artifact:
    defaults = {"status": ArtifactStatus.OK, "error": "", "source": ArtifactSource.BLOB, **fields}
    artifact, _ = Artifact.objects.update_or_create(snapshot=snapshot, kind=kind, defaults=defaults)
    return artifact


def store_artifact(snapshot: Snapshot, kind: str, data: bytes, mime: str) -> Artifact:
    blob = put_blob(data, mime)
    return _save(snapshot, kind, sha256=blob.sha256, size=blob.size, mime=mime)


def note_warc_artifact(snapshot: Snapshot, kind: str, data: bytes, mime: str) -> Artifact:
    """An artifact whose bytes are a response payload that the snapshot's WARC will hold."""
    digest = hashlib.sha256(data).hexdigest()
    return _save(
        snapshot, kind, sha256=digest, size=len(data), mime=mime, source=ArtifactSource.WARC
    )


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
    if artifact.source == ArtifactSource.WARC:
        return _from_warc(artifact)
    data = read_blob(artifact.sha256)
    return unpack(data) if artifact.kind == ArtifactKind.SINGLE_FILE else data


def _from_warc(artifact: Artifact) -> bytes:
    warc = Artifact.objects.filter(snapshot_id=artifact.snapshot_id, kind=ArtifactKind.WARC).first()
    if warc is None or warc.status != ArtifactStatus.OK:
        raise FileNotFoundError(f"the WARC that holds the {artifact.kind} artifact is missing")
    payload = find_payload(read_blob(warc.sha256), artifact.sha256)
    if payload is None:
        raise FileNotFoundError(f"the WARC has no response whose body matches {artifact.kind}")
    return payload


def find_payload(warc: bytes, sha256: str) -> bytes | None:
    """The body (content-encoding undone, as the capture saw it) whose hash is sha256."""
    for record in ArchiveIterator(io.BytesIO(warc)):
        if record.rec_type == "response":
            body = record.content_stream().read()
            if hashlib.sha256(body).hexdigest() == sha256:
                return body
    return None
