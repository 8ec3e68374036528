"""Wait for snapshots to finish, with a progress bar; if no worker runs, this process runs
the worker's own capture sequence (worker.sequence.capture_and_follow) for them."""

import os
import socket
import time

from rich.progress import Progress

from linkhome.archive import health, services
from linkhome.worker.sequence import capture_and_follow

POLL_SECONDS = 0.3


def wait_for(snapshot_ids: list[int], *, quiet: bool = False) -> None:
    # This process captures under its own heartbeat, so a worker that starts meanwhile
    # sees the capture as taken rather than abandoned.
    me = f"cli-{socket.gethostname()[:40]}-{os.getpid()}"
    try:
        with Progress(disable=quiet, transient=True) as progress:
            bar = progress.add_task("capturing", total=len(snapshot_ids))
            while pending := services.unfinished(snapshot_ids):
                progress.update(bar, completed=len(snapshot_ids) - len(pending))
                _step(pending, me)
    finally:
        health.forget(me)


def _step(pending: list[int], me: str) -> None:
    if health.live_worker_ids() - {me}:
        time.sleep(POLL_SECONDS)
        return
    # No worker is up: do the work here rather than wait forever. Nobody is alive, so
    # anything left "running" was abandoned and goes back to the queue first.
    services.requeue_abandoned(set())
    due = services.due(pending)
    for snapshot_id in due:
        health.beat(me)
        capture_and_follow(snapshot_id, me)
    if not due:
        time.sleep(POLL_SECONDS)
