"""Connects the domain's "capture requested" signal to the queue."""

from datetime import timedelta

from django.utils import timezone

from linkhome.capture.models import Snapshot
from linkhome.capture.signals import capture_requested


def enqueue_capture(sender: type, snapshot_id: int, delay: float = 0, **_: object) -> None:
    from linkhome.worker.tasks import capture_snapshot

    task = capture_snapshot
    if delay:
        task = task.using(run_after=timezone.now() + timedelta(seconds=delay))
    task.enqueue(snapshot_id)


def connect() -> None:
    capture_requested.connect(enqueue_capture, sender=Snapshot, dispatch_uid="linkhome.enqueue")
