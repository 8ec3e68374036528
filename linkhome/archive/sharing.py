"""A finished capture given to a second link as its own snapshot, without capturing again
(保存到我的链接: links.saving).

Blobs are content addressed and an artifact only names one (storage: a blob stays while
any artifact, base or reference needs it), so the copy is a new Snapshot row with the
capture's fields and new Artifact rows naming the same blobs: nothing is stored twice,
and deleting either snapshot leaves the other whole (archive.removal asks who still names
a blob; revisits.restore_revisits leaves alone a WARC another snapshot still names).

One exception: a WARC whose revisit records point into its keeper's other WARCs
(archive.payloads: revisits point only into the same owner's WARCs). The copy must not
depend on another person's WARCs, which they may delete or make private, so it gets the
same WARC with those records written out in full (revisits.with_full_records, as a WACZ
export does), stored as a blob of its own. If a payload cannot be found, the capture is
not shared (NotShareable) and the caller asks for a capture instead.

The payload index (ArchivedPayload) is not copied: the new owner's later captures never
point their revisits into a WARC they share with someone else.
"""

from django.db import transaction
from django.db.models import Model
from django.utils.translation import gettext_noop

from linkhome.archive.models import Artifact, ArtifactKind, ArtifactStatus, Snapshot
from linkhome.archive.revisits import revisit_targets, with_full_records
from linkhome.archive.signals import capture_copied
from linkhome.storage.blobs import put_blob, read_blob
from linkhome.storage.models import Blob, BlobReference

# What a copy does not take from the capture: its own identity, the worker's bookkeeping,
# and what the worker's sequence decides for the new link (compared with what, if changed).
NOT_COPIED = {
    "id",
    "link",
    "created_at",
    "worker_id",
    "attempts",
    "retry_after",
    "change",
    "change_ratio",
    "change_added",
    "change_removed",
    "compared_with",
    "screenshot_changed",
    "screenshot_ratio",
}


class NotShareable(RuntimeError):
    """The capture cannot be given to another link as it is; capture the page again."""

    template = gettext_noop("this snapshot cannot be shared; a new capture was queued")


def share_snapshot(source: Snapshot, link: Model) -> Snapshot:
    """A new snapshot of `link` holding what `source` (a finished capture) holds: the same
    fields, the same capture time, artifacts naming the same blobs. After commit the worker
    hears of it (capture_copied) and runs what follows a capture for the new link (what
    changed, schedule, index, related lists)."""
    with transaction.atomic():
        fields = {
            f.attname: getattr(source, f.attname)
            for f in Snapshot._meta.concrete_fields
            if f.name not in NOT_COPIED
        }
        # archive sits below links and cannot name links.Link (as request_capture).
        copy = Snapshot.objects.create(link=link, **fields)  # type: ignore[misc]
        # The capture's own time, not the copy's: the page is what it was then.
        Snapshot.objects.filter(pk=copy.pk).update(created_at=source.created_at)
        copy.created_at = source.created_at
        Artifact.objects.bulk_create(
            [_artifact_for(copy, artifact) for artifact in source.artifacts.all()]
        )
        copy_id = copy.pk
        transaction.on_commit(
            lambda: capture_copied.send(Snapshot, snapshot_id=copy_id), robust=True
        )
    return copy


def _artifact_for(copy: Snapshot, artifact: Artifact) -> Artifact:
    sha256, size = artifact.sha256, artifact.size
    if artifact.kind == ArtifactKind.WARC and artifact.status == ArtifactStatus.OK:
        sha256, size = _self_contained_warc(sha256, size)
    return Artifact(
        snapshot=copy,
        kind=artifact.kind,
        status=artifact.status,
        sha256=sha256,
        size=size,
        mime=artifact.mime,
        error=artifact.error,
    )


def _self_contained_warc(sha256: str, size: int) -> tuple[str, int]:
    """The WARC itself when it stands alone; else one with its revisits made full."""
    targets = set(
        BlobReference.objects.filter(source_id=sha256).values_list("target_id", flat=True)
    )
    if not targets:
        return sha256, size
    whole = with_full_records(read_blob(sha256), targets)
    if revisit_targets(whole):
        raise NotShareable(f"a revisit record of WARC {sha256[:12]} has no original")
    base = Blob.objects.filter(sha256=sha256).values_list("base", flat=True).first() or ""
    stored = put_blob(whole, "application/warc", base=base)
    return stored.sha256, stored.size
