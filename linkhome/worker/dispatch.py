"""Connects the domain's "capture requested" signal to the queue."""

from datetime import timedelta

from django.utils import timezone

from linkhome.archive.models import Snapshot
from linkhome.archive.signals import CaptureReason, capture_requested
from linkhome.worker.priorities import lane_for


def enqueue_capture(
    sender: type,
    snapshot_id: int,
    delay: float = 0,
    reason: str = CaptureReason.ADDED,
    **_: object,
) -> None:
    from linkhome.worker.tasks import capture_snapshot

    lane = lane_for(reason)
    task = capture_snapshot.using(queue_name=lane.queue_name)
    if task.get_backend().supports_priority:  # the database; RQ has only the lane's queue
        task = task.using(priority=lane.priority)
    if delay:
        task = task.using(run_after=timezone.now() + timedelta(seconds=delay))
    task.enqueue(snapshot_id)


def connect() -> None:
    capture_requested.connect(enqueue_capture, sender=Snapshot, dispatch_uid="linkhome.enqueue")
