"""Worker liveness and queue depth: what the UI shows so a stopped worker is never invisible."""

import os
import socket
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.utils import timezone
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from linkhome.worker.models import Heartbeat

CAPTURE_TASK = "linkhome.worker.tasks.capture_snapshot"


@dataclass(frozen=True)
class QueueHealth:
    live_workers: int
    last_heartbeat: datetime | None
    queue_depth: int


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
    cutoff = timezone.now() - timedelta(seconds=settings.WORKER_STALE_SECONDS)
    return set(Heartbeat.objects.filter(last_seen__gte=cutoff).values_list("worker_id", flat=True))


def queue_depth() -> int:
    return DBTaskResult.objects.filter(status=TaskResultStatus.READY).count()


def health() -> QueueHealth:
    last = Heartbeat.objects.order_by("-last_seen").values_list("last_seen", flat=True).first()
    return QueueHealth(len(live_worker_ids()), last, queue_depth())


def pending_capture_ids() -> set[int]:
    """Snapshot ids that already have a task waiting, so recovery does not double-queue."""
    ready = DBTaskResult.objects.filter(status=TaskResultStatus.READY, task_path=CAPTURE_TASK)
    return {
        int(args["args"][0]) for args in ready.values_list("args_kwargs", flat=True) if args["args"]
    }
