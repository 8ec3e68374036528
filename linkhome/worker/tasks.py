"""Task entry points: thin adapters from the queue to the worker's capture sequence."""

import os
import socket

from django_tasks import task

from linkhome.imports.services import run_import
from linkhome.worker import recycle, sequence
from linkhome.worker.priorities import ADDED, IMPORT, RETRY

# Set by the worker runner; a capture run in-process (CLI --wait) has no worker id.
WORKER_ID = os.environ.get("LINKHOME_WORKER_ID", "")


def worker_id() -> str:
    return WORKER_ID or f"{socket.gethostname()}:{os.getpid()}"


@task(queue_name=RETRY.queue_name)  # the dispatcher picks the lane per capture
def capture_snapshot(snapshot_id: int) -> str | None:
    before = recycle.rss_bytes()
    try:
        snapshot = sequence.capture_and_follow(snapshot_id, worker_id())
    finally:
        recycle.after_capture(before)
    return snapshot.status if snapshot else None


@task(queue_name=IMPORT.queue_name)
def import_bookmarks(job_id: int) -> str | None:
    """Read an uploaded bookmark file and save its links (imports.services)."""
    job = run_import(job_id, worker_id())
    return job.status if job else None


@task(queue_name=ADDED.queue_name)
def follow_copied_capture(snapshot_id: int) -> str | None:
    """A capture given to another link without capturing (archive.sharing): what follows a
    capture, for the new link."""
    snapshot = sequence.follow_copy(snapshot_id)
    return snapshot.status if snapshot else None
