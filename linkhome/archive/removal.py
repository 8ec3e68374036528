"""Deleting snapshots: their rows, and their blobs once nobody else needs them.

What another snapshot still reads is never removed: a blob another artifact names, the
page body another blob is compressed against, a single file's shared assets (storage
decides those: storage.collect). A WARC that other WARCs' revisit records point into is
removed only after they got the payloads back (capture.revisits).

A snapshot a live worker is capturing is not deleted: the worker would go on storing
blobs for it that nothing would ever name. Queued ones are fine (the worker's claim finds
nothing and moves on), and so are ones left running by a worker that died.
"""

from dataclasses import dataclass

from django.db import transaction
from django.db.models import QuerySet

from linkhome.archive.artifacts import blobs_in_use
from linkhome.archive.health import live_worker_ids
from linkhome.archive.models import Artifact, Snapshot, SnapshotStatus
from linkhome.archive.revisits import restore_revisits
from linkhome.storage.collect import collect


class CaptureInProgress(Exception):
    """A worker is capturing one of the snapshots right now; try again once it is done."""

    def __init__(self, snapshot_ids: list[int]) -> None:
        super().__init__(f"snapshot {', '.join(map(str, snapshot_ids))} is being captured")
        self.snapshot_ids = snapshot_ids


@dataclass(frozen=True)
class RemovedSnapshots:
    snapshots: int
    artifacts: int
    blobs: int
    stored_bytes: int


def delete_snapshots(snapshots: QuerySet[Snapshot]) -> RemovedSnapshots:
    """Delete the snapshots with their artifacts and payload index rows, and every blob
    only they needed. Runs in the caller's transaction when there is one."""
    with transaction.atomic():
        ids = _idle(snapshots)
        blobs = set(Artifact.objects.filter(snapshot_id__in=ids).values_list("sha256", flat=True))
        blobs |= restore_revisits(ids)  # before the originals go
        _, deleted = Snapshot.objects.filter(pk__in=ids).delete()
        collected = collect(blobs, blobs_in_use)
    return RemovedSnapshots(
        snapshots=deleted.get("capture.Snapshot", 0),
        artifacts=deleted.get("capture.Artifact", 0),
        blobs=collected.blobs,
        stored_bytes=collected.stored_bytes,
    )


def _idle(snapshots: QuerySet[Snapshot]) -> set[int]:
    """Lock the snapshots (a worker's claim waits, then finds them gone) and refuse when a
    live worker is capturing one of them."""
    rows = list(snapshots.select_for_update().values_list("pk", "status", "worker_id"))
    live = live_worker_ids()
    busy = [
        pk for pk, status, worker in rows if status == SnapshotStatus.RUNNING and worker in live
    ]
    if busy:
        raise CaptureInProgress(busy)
    return {pk for pk, _, _ in rows}
