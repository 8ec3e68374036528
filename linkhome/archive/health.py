"""Worker liveness and queue depth: shown in the UI so a stopped worker is never invisible.

Queue depth counts queued snapshots (what a person waits for), not queue rows, so this
module needs no knowledge of the queue itself.
"""

import os
import socket
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.db.models import Count, Max, Q
from django.utils import timezone

from linkhome.archive.models import Heartbeat, Snapshot, SnapshotStatus


@dataclass(frozen=True)
class QueueHealth:
    live_workers: int
    last_heartbeat: datetime | None
    queue_depth: int
    running: int


def beat(worker_id: str) -> None:
    Heartbeat.objects.update_or_create(
        worker_id=worker_id,
        defaults={
            "last_seen": timezone.now(),
            "hostname": socket.gethostname(),
            "pid": os.getpid(),
        },
    )


def forget(worker_id: str) -> None:
    Heartbeat.objects.filter(worker_id=worker_id).delete()


def live_worker_ids() -> set[str]:
    return set(
        Heartbeat.objects.filter(last_seen__gte=_stale_cutoff()).values_list("worker_id", flat=True)
    )


def forget_dead() -> int:
    """Remove the rows of workers silent for longer than the stale period (killed ones
    never say goodbye); their captures are requeued by recovery all the same."""
    deleted, _ = Heartbeat.objects.filter(last_seen__lt=_stale_cutoff()).delete()
    return deleted


def _stale_cutoff() -> datetime:
    return timezone.now() - timedelta(seconds=settings.WORKER_STALE_SECONDS)


def health() -> QueueHealth:
    """Two aggregate queries: every signed-in page shows this in its footer."""
    cutoff = _stale_cutoff()
    beats = Heartbeat.objects.aggregate(
        last=Max("last_seen"), live=Count("pk", filter=Q(last_seen__gte=cutoff))
    )
    waiting = Snapshot.objects.filter(
        status__in=(SnapshotStatus.QUEUED, SnapshotStatus.RUNNING)
    ).aggregate(
        queued=Count("pk", filter=Q(status=SnapshotStatus.QUEUED)),
        running=Count("pk", filter=Q(status=SnapshotStatus.RUNNING)),
    )
    return QueueHealth(beats["live"], beats["last"], waiting["queued"], waiting["running"])
