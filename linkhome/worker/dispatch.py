"""Connects the domain's "capture requested", "capture copied" and "import requested" signals
to the queue."""

from datetime import timedelta

from django.utils import timezone

from linkhome.archive.models import Snapshot
from linkhome.archive.signals import (
    CaptureReason,
    capture_copied,
    capture_requested,
    captures_requested,
)
from linkhome.imports.models import ImportJob
from linkhome.imports.signals import import_requested
from linkhome.storage.rows import insert_rows
from linkhome.worker.priorities import ADDED, IMPORT, lane_for


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


def enqueue_captures(
    sender: type, snapshot_ids: list[int], reason: str = CaptureReason.BULK, **_: object
) -> None:
    """Many captures at once (an import): on the database queue, the task rows `enqueue`
    would write one by one, in one statement; on RQ, one enqueue each."""
    from django_tasks_db import DatabaseBackend

    from linkhome.worker.tasks import capture_snapshot

    lane = lane_for(reason)
    task = capture_snapshot.using(queue_name=lane.queue_name)
    backend = task.get_backend()
    if not isinstance(backend, DatabaseBackend):
        for snapshot_id in snapshot_ids:
            task.enqueue(snapshot_id)
        return
    from django_tasks_db.models import DBTaskResult, get_date_max

    columns = ["args_kwargs", "priority", "task_path", "queue_name", "run_after", "backend_name"]
    common = (lane.priority, task.module_path, lane.queue_name, get_date_max(), backend.alias)
    rows = [({"args": [snapshot_id], "kwargs": {}}, *common) for snapshot_id in snapshot_ids]
    insert_rows(DBTaskResult, columns, rows)


def enqueue_import(sender: type, job_id: int, **_: object) -> None:
    from linkhome.worker.tasks import import_bookmarks

    task = import_bookmarks.using(queue_name=IMPORT.queue_name)
    if task.get_backend().supports_priority:
        task = task.using(priority=IMPORT.priority)
    task.enqueue(job_id)


def enqueue_follow(sender: type, snapshot_id: int, **_: object) -> None:
    """A capture copied to another link (保存到我的链接): what follows a capture, in the
    lane of a link a person just added (they are looking at it)."""
    from linkhome.worker.tasks import follow_copied_capture

    task = follow_copied_capture.using(queue_name=ADDED.queue_name)
    if task.get_backend().supports_priority:
        task = task.using(priority=ADDED.priority)
    task.enqueue(snapshot_id)


def connect() -> None:
    capture_requested.connect(enqueue_capture, sender=Snapshot, dispatch_uid="linkhome.enqueue")
    captures_requested.connect(
        enqueue_captures, sender=Snapshot, dispatch_uid="linkhome.enqueue_many"
    )
    import_requested.connect(enqueue_import, sender=ImportJob, dispatch_uid="linkhome.import")
    capture_copied.connect(enqueue_follow, sender=Snapshot, dispatch_uid="linkhome.follow_copy")
