"""What follows a capture, in order, in one place: capture → (what changed, health, a
notification, next check) → index → related lists.

The worker runs a capture with `capture()`, and so does `linkhome add --wait` when no worker
is up: one code path. Each step after the capture runs in its own savepoint and a failure
is logged, not raised: the capture is done and saved, and a broken index must not turn it
into a retry. Whatever a failed or interrupted step left behind (a worker killed between
the capture and the index) is found again by the periodic catch-up jobs (worker/schedule.py).
"""

import logging
from collections.abc import Callable, Sequence

from django.db import transaction

from linkhome.archive.models import FINISHED, Snapshot
from linkhome.archive.services import record_check
from linkhome.capture.pipeline import run_capture
from linkhome.history import changes
from linkhome.links import watching
from linkhome.notify import events
from linkhome.recommend import neighbours, profiles
from linkhome.search.documents import INDEXED_STATUSES
from linkhome.search.indexing import index_links

log = logging.getLogger("linkhome.worker")


def capture_and_follow(snapshot_id: int, worker_id: str = "") -> Snapshot | None:
    """Capture the snapshot if it is still queued, then index it and rank its related list.
    Returns the snapshot in its new state (None when another worker had it)."""
    snapshot = run_capture(snapshot_id, worker_id)
    if snapshot is not None and snapshot.status in FINISHED:
        after_capture(snapshot)
    return snapshot


def follow_copy(snapshot_id: int) -> Snapshot | None:
    """A finished capture copied to another link (保存到我的链接, archive.sharing): the same
    sequence as after a capture of its own, for the new link (its first capture: no change
    to record, its schedule starts, it is indexed and ranked). None when it is gone."""
    snapshot = Snapshot.objects.filter(pk=snapshot_id).first()
    if snapshot is not None and snapshot.status in FINISHED:
        after_capture(snapshot)
    return snapshot


def after_capture(snapshot: Snapshot) -> None:
    """What changed and the link's health first (every finished capture is a check, a
    failed one too), then the index (the related lists read the index's tokens), then the
    related lists. A failed capture changes neither: the link keeps its earlier text."""
    link_ids = [snapshot.link_id]
    if step("what changed", lambda _: record_changes(snapshot), link_ids):
        # Read from what was just stored; delivered later by the notify-deliveries job.
        step("notification", lambda _: events.record(snapshot), link_ids)
    step("watch schedule", lambda ids: watching.schedule_after_capture(ids[0]), link_ids)
    if snapshot.status not in INDEXED_STATUSES:
        return
    step("index", index_links, link_ids)
    step("related lists", relate, link_ids)
    step("stale related lists", refresh_stale, link_ids)


def record_changes(snapshot: Snapshot) -> None:
    """Compare the capture with the link's one before and record the link's health."""
    found = changes.check(snapshot)
    diff = found.diff
    record_check(
        snapshot,
        change=found.change,
        compared_with=found.compared_with,
        ratio=diff.ratio if diff else (0.0 if found.change == "unchanged" else None),
        added=diff.added if diff else (0 if found.change == "unchanged" else None),
        removed=diff.removed if diff else (0 if found.change == "unchanged" else None),
        health=found.health,
        health_detail=found.detail,
        screenshot_changed=found.screenshot.changed if found.screenshot else None,
        screenshot_ratio=found.screenshot.ratio if found.screenshot else None,
    )
    checked_at = snapshot.finished_at or snapshot.created_at
    watching.record_health(snapshot.link_id, found.health, found.status, found.detail, checked_at)


def relate(link_ids: Sequence[int]) -> None:
    """Weigh the links' profiles from the index and rank (and offer) their neighbours."""
    profiles.update(link_ids)
    neighbours.rank(link_ids)


def refresh_stale(_: Sequence[int] = ()) -> int:
    """A few profiles weighed against a much smaller index are weighed again and the lists
    ranked longest ago ranked again: bounded batches, so each capture pays a little and an
    archive that grew from nothing is soon ranked as if it had always been this size."""
    return profiles.refresh_stale() + neighbours.refresh_oldest()


def step(name: str, run: Callable[[Sequence[int]], object], link_ids: Sequence[int]) -> bool:
    """Run one follow-up in a savepoint; False (and a log line) when it failed."""
    try:
        with transaction.atomic():
            run(link_ids)
    except Exception:
        log.exception("%s not updated for links %s; the catch-up job repairs it", name, link_ids)
        return False
    return True
