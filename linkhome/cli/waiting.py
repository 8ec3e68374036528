"""Wait for snapshots to finish, with a progress bar; capture in-process if no worker runs."""

import time

from django.db.models import Q
from django.utils import timezone
from rich.progress import Progress

from linkhome.capture.models import FINISHED, Snapshot

POLL_SECONDS = 0.3


def unfinished(snapshot_ids: list[int]) -> list[int]:
    rows = Snapshot.objects.filter(pk__in=snapshot_ids).exclude(status__in=FINISHED)
    return list(rows.values_list("pk", flat=True))


def wait_for(snapshot_ids: list[int], *, quiet: bool = False) -> None:
    with Progress(disable=quiet, transient=True) as progress:
        bar = progress.add_task("capturing", total=len(snapshot_ids))
        while pending := unfinished(snapshot_ids):
            progress.update(bar, completed=len(snapshot_ids) - len(pending))
            _step(pending)


def _step(pending: list[int]) -> None:
    from linkhome.capture.health import live_worker_ids

    if live_worker_ids():
        time.sleep(POLL_SECONDS)
        return
    # No worker is up: do the work here rather than wait forever.
    from linkhome.capture.pipeline import run_capture

    due = _due(pending)
    for snapshot_id in due:
        run_capture(snapshot_id)
    if not due:
        time.sleep(POLL_SECONDS)


def _due(pending: list[int]) -> list[int]:
    # Snapshots sent back for a transient failure wait out their backoff before running again.
    now = timezone.now()
    rows = Snapshot.objects.filter(pk__in=pending).filter(
        Q(retry_after__isnull=True) | Q(retry_after__lte=now)
    )
    return list(rows.values_list("pk", flat=True))
