"""Runs a worker: the queue loop, plus a heartbeat thread that also runs the periodic jobs
(worker/schedule.py) whose turn this worker wins."""

import logging
import os
import socket
import threading

from django.conf import settings
from django.db import close_old_connections, connection
from django.utils.crypto import get_random_string

from linkhome.archive import health
from linkhome.archive.services import requeue_strays
from linkhome.capture.pipeline import ACTIVE
from linkhome.worker import schedule, tasks
from linkhome.worker.queue import run_queue
from linkhome.worker.schedule import heartbeat_seconds

log = logging.getLogger("linkhome.worker")


def new_worker_id() -> str:
    # Heartbeat ids are at most 64 characters; long host names are cut, pid and nonce kept.
    return f"{socket.gethostname()[:40]}-{os.getpid()}-{get_random_string(6)}"


def recover(worker_id: str) -> None:
    """Captures this worker's id holds but no thread of it is on go back to the queue (a
    capture that crashed past its own bookkeeping), then every periodic job that is due."""
    requeue_strays(worker_id, set(ACTIVE))
    schedule.run_due(worker_id)


class HeartbeatThread(threading.Thread):
    def __init__(self, worker_id: str) -> None:
        super().__init__(name="linkhome-heartbeat", daemon=True)
        self.worker_id = worker_id
        self.stopped = threading.Event()

    def run(self) -> None:
        while not self.stopped.wait(heartbeat_seconds()):
            self._beat_once()
        connection.close()

    def _beat_once(self) -> None:
        # A database that is briefly away must not kill the heartbeat: skip a beat instead.
        try:
            close_old_connections()
            health.beat(self.worker_id)
            recover(self.worker_id)
        except Exception:
            log.warning("heartbeat failed; will retry", exc_info=True)


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
