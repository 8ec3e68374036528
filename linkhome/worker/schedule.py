"""The worker's periodic jobs: one table, each job claimed atomically.

Every worker's heartbeat thread calls `run_due()`. A job's turn is claimed by moving its
`due_at` forward in one conditional UPDATE (`claim`): on SQLite writers are serialised, on
PostgreSQL the second UPDATE waits for the first and then finds the row no longer due. So
whatever the number of workers and machines, each due turn runs exactly once. A worker that
dies inside a job loses only that turn; every job is safe to run again, and runs again at
its next turn.

Scheduled re-captures are the `watch-recaptures` job: links never scheduled get their next
check, then due links are claimed one conditional UPDATE each (links.watching.claim_due)
and captured in the `scheduled` lane, a bounded batch per turn.
"""

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.db import DatabaseError, IntegrityError, transaction
from django.utils import timezone

from linkhome.archive import health
from linkhome.archive.models import Snapshot
from linkhome.archive.services import announce, queued_snapshot_ids, requeue_abandoned
from linkhome.archive.signals import CaptureReason
from linkhome.imports import polling
from linkhome.imports.services import forget_orphans as forget_orphan_uploads
from linkhome.imports.services import requeue_abandoned as requeue_abandoned_imports
from linkhome.links import watching
from linkhome.notify import delivery, events
from linkhome.recommend import profiles
from linkhome.search import indexing
from linkhome.worker.models import PeriodicJob
from linkhome.worker.queue import finish_abandoned_tasks, pending_capture_ids, pending_import_ids
from linkhome.worker.sequence import refresh_stale, relate, step

log = logging.getLogger("linkhome.worker")
# Captures that finished this long before a catch-up's previous turn are looked at again:
# a capture that finished while the previous turn was running is not missed.
CATCH_UP_OVERLAP = timedelta(minutes=10)
RECOVER_EVERY_BEATS = 6


@dataclass(frozen=True)
class Turn:
    """What a job is handed: who runs it, and when the previous turn started (None: never)."""

    worker_id: str
    previous: datetime | None


@dataclass(frozen=True)
class Job:
    name: str
    every: Callable[[], float]  # seconds between turns, read when a turn is claimed
    run: Callable[[Turn], int]  # returns how many items it handled


def requeue_stale_captures(turn: Turn) -> int:
    """Captures left running by a dead worker go back to the queue (or fail, after too many
    deaths), the dead worker's task rows are closed, its heartbeat row removed, and a queued
    snapshot whose task was lost is queued again."""
    live = health.live_worker_ids() | {turn.worker_id}
    requeued = requeue_abandoned(live)
    finish_abandoned_tasks(live)
    health.forget_dead()
    lost = set(queued_snapshot_ids()) - pending_capture_ids()
    for snapshot in Snapshot.objects.filter(pk__in=lost):
        announce(snapshot, 0, CaptureReason.RETRY)
    return len(requeued) + len(lost)


def resume_imports(turn: Turn) -> int:
    """Imports a dead worker was running go back to the queue, to resume after the last
    batch they committed; a queued import whose task was lost is queued again."""
    live = health.live_worker_ids() | {turn.worker_id}
    finish_abandoned_tasks(live)  # the dead worker's import task is no longer pending
    resumed = requeue_abandoned_imports(live, pending_import_ids())
    return len(resumed) + forget_orphan_uploads()


def index_catch_up(turn: Turn) -> int:
    """Links whose newest capture is not (yet) in the index: a worker killed between a
    capture and its indexing, or an index step that failed."""
    if turn.previous is None:
        return indexing.catch_up()
    return indexing.catch_up_since(turn.previous - CATCH_UP_OVERLAP)


def related_lists(turn: Turn) -> int:
    """Profiles behind the index are weighed again, stale weights and the oldest related
    lists are refreshed (a list ranked when the archive was small misses later pages)."""
    since = turn.previous - CATCH_UP_OVERLAP if turn.previous else None
    behind = profiles.behind_index(since)
    if behind:
        step("related lists", relate, behind)
    return len(behind) + refresh_stale()


def watch_recaptures(turn: Turn) -> int:
    """Links never scheduled get their first check time; then up to LINKHOME_WATCH_BATCH
    due links are claimed (each exactly once among all workers) and their captures queued
    in the scheduled lane, behind every link a person added."""
    batch = settings.WATCH_BATCH
    watching.schedule_new(batch)
    return len(watching.claim_due(batch))


def notify_deliveries(turn: Turn) -> int:
    """Checks a killed worker left without their notification get it; then up to
    LINKHOME_NOTIFY_BATCH due webhook and email deliveries are claimed (each attempt once
    among all workers) and made, within a time budget that keeps this thread's heartbeat
    on time; failures wait their backoff (notify/delivery.py)."""
    since = (turn.previous or timezone.now()) - CATCH_UP_OVERLAP
    recorded = events.catch_up(since)
    budget = max(1.0, settings.WORKER_STALE_SECONDS / 3 - settings.NOTIFY_WEBHOOK_TIMEOUT)
    return recorded + delivery.deliver_due(settings.NOTIFY_BATCH, turn.worker_id, budget=budget)


def poll_feeds(turn: Turn) -> int:
    """Up to LINKHOME_FEED_BATCH due subscriptions are claimed (each check once among all
    workers) and their feeds fetched, within a time budget that keeps this thread's
    heartbeat on time; new entries become links captured in the bulk lane
    (imports/feeds.py)."""
    budget = max(1.0, settings.WORKER_STALE_SECONDS / 3 - settings.FEED_TIMEOUT)
    return polling.poll_due(settings.FEED_BATCH, turn.worker_id, budget=budget)


def heartbeat_seconds() -> float:
    # Three beats fit in the stale window, so one slow beat never looks like a death.
    return max(0.5, min(5.0, settings.WORKER_STALE_SECONDS / 3))


def _recovery_seconds() -> float:
    # Every sixth beat: a worker is declared dead only after it has missed three beats, so
    # looking more often would find little new.
    return RECOVER_EVERY_BEATS * heartbeat_seconds()


JOBS: tuple[Job, ...] = (
    Job("requeue-stale-captures", _recovery_seconds, requeue_stale_captures),
    Job("resume-imports", _recovery_seconds, resume_imports),
    Job("index-catch-up", lambda: settings.WORKER_CATCH_UP_SECONDS, index_catch_up),
    Job("related-lists", lambda: settings.WORKER_CATCH_UP_SECONDS, related_lists),
    Job("watch-recaptures", lambda: settings.WATCH_SECONDS, watch_recaptures),
    Job("notify-deliveries", lambda: settings.NOTIFY_SECONDS, notify_deliveries),
    Job("poll-feeds", lambda: settings.FEED_JOB_SECONDS, poll_feeds),
)


def run_due(worker_id: str, jobs: tuple[Job, ...] = JOBS) -> list[str]:
    """Run every job whose turn is due and that this worker wins; returns their names."""
    ran = []
    for job in jobs:
        turn = claim(job, worker_id)
        if turn is not None:
            ran.append(job.name)
            _run(job, turn)
    return ran


def claim(job: Job, worker_id: str) -> Turn | None:
    """Take the job's due turn; None when it is not due or another worker took it."""
    now = timezone.now()
    _ensure_row(job.name, now)
    row = PeriodicJob.objects.filter(name=job.name).values("due_at", "started_at").first()
    if row is None or row["due_at"] > now:
        return None
    won = PeriodicJob.objects.filter(name=job.name, due_at__lte=now).update(
        due_at=now + timedelta(seconds=job.every()),
        claimed_by=worker_id[:64],
        started_at=now,
    )
    return Turn(worker_id, row["started_at"]) if won else None


def _ensure_row(name: str, now: datetime) -> None:
    if PeriodicJob.objects.filter(name=name).exists():
        return
    try:
        with transaction.atomic():
            PeriodicJob.objects.create(name=name, due_at=now)
    except IntegrityError:
        pass  # another worker created it first


def _run(job: Job, turn: Turn) -> None:
    error, handled = "", 0
    try:
        handled = job.run(turn)
    except DatabaseError:
        raise  # the database is away: the heartbeat skips this beat and tries again
    except Exception as exc:
        log.exception("periodic job %s failed", job.name)
        error = repr(exc)[:2000]
    PeriodicJob.objects.filter(name=job.name).update(
        finished_at=timezone.now(), handled=handled, error=error
    )
