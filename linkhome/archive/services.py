"""Snapshots: the only code that changes their state.

A snapshot moves queued → running → succeeded | partial | failed. Transient failures
(timeouts, 5xx, 429) send it back to queued with a growing delay until the attempts run out.
"""

import logging
from collections.abc import Iterable
from collections.abc import Set as AbstractSet
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import F, Model, Q
from django.utils import timezone

from linkhome.archive.models import FINISHED, Snapshot, SnapshotStatus
from linkhome.archive.signals import CaptureReason, capture_requested, captures_requested
from linkhome.storage.rows import insert_rows

log = logging.getLogger("linkhome.archive")


def request_capture(
    link: Model, *, delay: float = 0, reason: CaptureReason = CaptureReason.ADDED
) -> Snapshot:
    """Create a queued snapshot for a link; it is put on the queue once the caller commits."""
    # Capture sits below links (.importlinter) and cannot name links.Link, so `link` is typed
    # as any model here: the checker knows neither its `url` nor that Snapshot.link takes it.
    snapshot = Snapshot.objects.create(link=link, url=link.url)  # type: ignore[misc,attr-defined]
    announce(snapshot, delay, reason)
    return snapshot


def request_captures(
    links: Iterable[tuple[int, str]], *, reason: CaptureReason = CaptureReason.BULK
) -> dict[int, int]:
    """request_capture for many links (an import of 100,000 bookmarks): one insert per
    thousand and one queue write, once the caller commits. Answers link id -> snapshot id."""
    # (link id, address) pairs: archive sits below links and cannot name links.Link.
    made = insert_rows(Snapshot, ["link_id", "url"], list(links), returning=["id", "link_id"])
    snapshot_ids = [snapshot_id for snapshot_id, _ in made]
    if snapshot_ids:
        transaction.on_commit(
            lambda: captures_requested.send(Snapshot, snapshot_ids=snapshot_ids, reason=reason),
            robust=True,
        )
    return {link_id: snapshot_id for snapshot_id, link_id in made}


def announce(
    snapshot: Snapshot, delay: float = 0, reason: CaptureReason = CaptureReason.ADDED
) -> None:
    snapshot_id = snapshot.pk
    # robust: a queue write that fails must not fail the request that saved the link;
    # recovery finds queued snapshots without a task and queues them again.
    transaction.on_commit(
        lambda: capture_requested.send(
            Snapshot, snapshot_id=snapshot_id, delay=delay, reason=reason
        ),
        robust=True,
    )


def claim(snapshot_id: int, worker_id: str = "") -> Snapshot | None:
    """Mark a snapshot running for this worker; None when it is not there or already done.

    The conditional update makes two workers given the same snapshot run it only once."""
    claimable = Snapshot.objects.filter(pk=snapshot_id, status=SnapshotStatus.QUEUED)
    # One statement: a worker killed right after claiming still counts the attempt.
    updated = claimable.update(
        status=SnapshotStatus.RUNNING,
        worker_id=worker_id,
        started_at=timezone.now(),
        attempts=F("attempts") + 1,
    )
    if not updated:
        return None
    return Snapshot.objects.select_related("link").get(pk=snapshot_id)


def finish(snapshot: Snapshot, status: str, error: str = "") -> Snapshot:
    snapshot.status = status
    snapshot.error = error
    snapshot.finished_at = timezone.now()
    snapshot.retry_after = None
    snapshot.save()
    return snapshot


def retry_later(snapshot: Snapshot, reason: str, *, not_before: float = 0) -> Snapshot:
    """Requeue after a transient failure, or fail for good when attempts are used up.
    `not_before`: seconds the server asked us to wait (Retry-After), if longer than the
    backoff."""
    if snapshot.attempts >= settings.CAPTURE_MAX_ATTEMPTS:
        return finish(
            snapshot,
            SnapshotStatus.FAILED,
            f"{reason} (gave up after {snapshot.attempts} attempts)",
        )
    backoff = settings.CAPTURE_RETRY_BACKOFF
    delay = max(backoff[min(snapshot.attempts - 1, len(backoff) - 1)], not_before)
    snapshot.status = SnapshotStatus.QUEUED
    snapshot.error = f"{reason}; retrying in {delay:g} s"
    snapshot.retry_after = timezone.now() + timedelta(seconds=delay)
    with transaction.atomic():
        snapshot.save()
        announce(snapshot, delay, CaptureReason.RETRY)
    return snapshot


def defer(snapshot: Snapshot, wait: float) -> Snapshot:
    """Back to the queue for `wait` seconds without counting an attempt: the capture never
    asked the site anything (its host's turn was too far away)."""
    snapshot.status = SnapshotStatus.QUEUED
    snapshot.attempts = max(0, snapshot.attempts - 1)
    snapshot.error = f"waiting for the site's turn; retrying in {wait:.0f} s"
    snapshot.retry_after = timezone.now() + timedelta(seconds=wait)
    with transaction.atomic():
        snapshot.save(update_fields=["status", "attempts", "error", "retry_after"])
        announce(snapshot, wait, CaptureReason.RETRY)
    return snapshot


def requeue_abandoned(live_worker_ids: set[str]) -> list[int]:
    """Snapshots left running by a worker that died go back to the queue; a page that keeps
    killing workers fails. Each is taken back in one conditional update, so two workers
    recovering at once never queue it twice."""
    running = Snapshot.objects.filter(status=SnapshotStatus.RUNNING)
    dead = running.exclude(worker_id__in=live_worker_ids)
    return _requeue(list(dead.values_list("pk", "worker_id", "attempts")))


def requeue_strays(own_worker_id: str, own_active: AbstractSet[int]) -> list[int]:
    """Snapshots running under this worker's id that none of its threads is on (a capture
    that crashed past its own bookkeeping, say while the database was away)."""
    mine = Snapshot.objects.filter(status=SnapshotStatus.RUNNING, worker_id=own_worker_id)
    strays = mine.exclude(pk__in=own_active)
    return _requeue(list(strays.values_list("pk", "worker_id", "attempts")))


def _requeue(running: list[tuple[int, str, int]]) -> list[int]:
    requeued = [
        pk for pk, worker_id, attempts in running if _requeue_or_fail(pk, worker_id, attempts)
    ]
    if requeued:
        log.warning("requeued %d abandoned snapshots", len(requeued))
    return requeued


def _requeue_or_fail(snapshot_id: int, worker_id: str, attempts: int) -> bool:
    """Take the snapshot back from `worker_id` in one conditional update; False when someone
    else already did (another worker's recovery, or the capture itself finishing)."""
    taken = Snapshot.objects.filter(
        pk=snapshot_id, status=SnapshotStatus.RUNNING, worker_id=worker_id
    )
    if attempts >= settings.CAPTURE_MAX_ATTEMPTS:
        return bool(
            taken.update(
                status=SnapshotStatus.FAILED,
                error=f"the capture stopped its worker {attempts} times",
                finished_at=timezone.now(),
                retry_after=None,
            )
        )
    with transaction.atomic():
        if not taken.update(
            status=SnapshotStatus.QUEUED,
            error="the worker stopped during the capture; queued again",
        ):
            return False
        announce(Snapshot(pk=snapshot_id), 0, CaptureReason.RETRY)
    return True


def queued_snapshot_ids() -> list[int]:
    return list(Snapshot.objects.filter(status=SnapshotStatus.QUEUED).values_list("pk", flat=True))


def unfinished(snapshot_ids: list[int]) -> list[int]:
    rows = Snapshot.objects.filter(pk__in=snapshot_ids).exclude(status__in=FINISHED)
    return list(rows.values_list("pk", flat=True))


def due(snapshot_ids: list[int]) -> list[int]:
    """Queued ones whose retry backoff (if any) is over."""
    rows = Snapshot.objects.filter(pk__in=snapshot_ids, status=SnapshotStatus.QUEUED).filter(
        Q(retry_after__isnull=True) | Q(retry_after__lte=timezone.now())
    )
    return list(rows.values_list("pk", flat=True))


def any_failed(snapshot_ids: list[int]) -> bool:
    return Snapshot.objects.filter(pk__in=snapshot_ids, status=SnapshotStatus.FAILED).exists()


def record_check(
    snapshot: Snapshot,
    *,
    change: str,
    compared_with: Snapshot | None,
    ratio: float | None = None,
    added: int | None = None,
    removed: int | None = None,
    health: str = "",
    health_detail: str = "",
    screenshot_changed: bool | None = None,
    screenshot_ratio: float | None = None,
) -> None:
    """What this capture found compared with the one before (history.changes decides)."""
    if change not in ("", "unchanged", "changed", "gone"):
        raise ValueError(f"unknown change {change!r}")
    snapshot.change, snapshot.compared_with = change, compared_with
    snapshot.change_ratio, snapshot.change_added, snapshot.change_removed = ratio, added, removed
    snapshot.health, snapshot.health_detail = health, health_detail[:300]
    snapshot.screenshot_changed, snapshot.screenshot_ratio = screenshot_changed, screenshot_ratio
    Snapshot.objects.filter(pk=snapshot.pk).update(
        change=change,
        compared_with=compared_with,
        change_ratio=ratio,
        change_added=added,
        change_removed=removed,
        health=health,
        health_detail=health_detail[:300],
        screenshot_changed=screenshot_changed,
        screenshot_ratio=screenshot_ratio,
    )
