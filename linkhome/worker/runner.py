"""Runs a worker: the django-tasks-db loop plus a heartbeat and crash recovery."""

import logging
import os
import socket
import threading

from django.conf import settings
from django.db import close_old_connections, connection
from django.utils.crypto import get_random_string

from linkhome.capture import health
from linkhome.capture.models import Snapshot
from linkhome.capture.pipeline import ACTIVE
from linkhome.capture.services import announce, queued_snapshot_ids, requeue_abandoned
from linkhome.capture.signals import CaptureReason
from linkhome.worker import tasks
from linkhome.worker.queue import finish_abandoned_tasks, pending_capture_ids, run_queue

log = logging.getLogger("linkhome.worker")
RECOVER_EVERY_BEATS = 6


def new_worker_id() -> str:
    # Heartbeat ids are at most 64 characters; long host names are cut, pid and nonce kept.
    return f"{socket.gethostname()[:40]}-{os.getpid()}-{get_random_string(6)}"


def recover(worker_id: str) -> None:
    """Requeue what a dead worker left running and queued snapshots whose task was lost."""
    live = health.live_worker_ids() | {worker_id}
    requeue_abandoned(live, worker_id, set(ACTIVE))
    finish_abandoned_tasks(live)
    health.forget_dead()
    pending = pending_capture_ids()
    for snapshot in Snapshot.objects.filter(pk__in=set(queued_snapshot_ids()) - pending):
        announce(snapshot, 0, CaptureReason.RETRY)  # its first task was lost


class HeartbeatThread(threading.Thread):
    def __init__(self, worker_id: str) -> None:
        super().__init__(name="linkhome-heartbeat", daemon=True)
        self.worker_id = worker_id
        self.stopped = threading.Event()

    def run(self) -> None:
        beats = 0
        while not self.stopped.wait(heartbeat_seconds()):
            beats += 1
            self._beat_once(recovering=beats % RECOVER_EVERY_BEATS == 0)
        connection.close()

    def _beat_once(self, *, recovering: bool) -> None:
        # A database that is briefly away must not kill the heartbeat: skip a beat instead.
        try:
            close_old_connections()
            health.beat(self.worker_id)
            if recovering:
                recover(self.worker_id)
        except Exception:
            log.warning("heartbeat failed; will retry", exc_info=True)


def heartbeat_seconds() -> float:
    # Three beats fit in the stale window, so one slow beat never looks like a death.
    return max(0.5, min(5.0, settings.WORKER_STALE_SECONDS / 3))


def run_worker(*, interval: float = 0.5, batch: bool = False, max_tasks: int | None = None) -> None:
    worker_id = new_worker_id()
    tasks.WORKER_ID = worker_id
    health.beat(worker_id)
    recover(worker_id)
    beat = HeartbeatThread(worker_id)
    beat.start()
    try:
        run_queue(
            worker_id,
            interval=interval,
            batch=batch,
            max_tasks=max_tasks,
            threads=settings.CAPTURE_THREADS,
        )
    finally:
        beat.stopped.set()
        health.forget(worker_id)
