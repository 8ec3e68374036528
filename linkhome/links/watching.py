"""Watching kept pages: schedules, due checks claimed atomically, and each link's health.

- A link's schedule (`Every`: never, daily, weekly, monthly) is its own choice if it has
  one; otherwise the most frequent schedule among its tags; otherwise its owner's default
  (`WatchDefault`); otherwise the instance's `LINKHOME_WATCH_DEFAULT`.
- `Link.next_check_at` says when it is due: None means "not scheduled yet" (a new link, or
  one whose schedule changed), NEVER_AT means "not watched". The worker's
  `watch-recaptures` job first schedules a batch of unscheduled links, then claims due ones.
- A due link is claimed by moving its next_check_at forward in one conditional UPDATE
  (`WHERE id = … AND next_check_at = <the value read>`), in the same transaction that
  requests its capture: on PostgreSQL a second claimer's UPDATE waits for the first and then
  finds the row changed, on SQLite writers are serialised. So any number of workers on any
  number of machines request each due check exactly once.
- Each next check is `interval × (1 ± LINKHOME_WATCH_JITTER)` after the claim, at random,
  so links added together drift apart instead of all coming due in the same minute.
- The health a check found is written here (`record_health`), from what history.changes
  decided; lists filter and badge on `Link.health`.
"""

import random
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from django.conf import settings
from django.contrib.auth.models import User
from django.db import transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone
from django.utils.translation import gettext_noop

from linkhome.archive.models import Snapshot, SnapshotStatus
from linkhome.archive.services import request_capture
from linkhome.archive.signals import CaptureReason
from linkhome.links.models import Every, Health, Link, Tag, WatchDefault
from linkhome.links.services import LinkError

INTERVALS: dict[str, timedelta] = {
    Every.DAILY: timedelta(days=1),
    Every.WEEKLY: timedelta(days=7),
    Every.MONTHLY: timedelta(days=30),
}
# Most frequent first: a link tagged both "weekly" and "daily" is checked daily.
BY_FREQUENCY = (Every.DAILY, Every.WEEKLY, Every.MONTHLY, Every.NEVER)
# "Not watched": later than any due time, so the claim's `<= now` never matches it.
NEVER_AT = datetime(9999, 1, 1, tzinfo=UTC)
CHOICES = tuple(e.value for e in Every)
BAD_EVERY = gettext_noop("the schedule must be one of: never, daily, weekly, monthly")

_random = random.SystemRandom()


def check_every(every: str, *, allow_inherit: bool = False) -> str:
    """The schedule as stored; "" (inherit) only where the caller allows it."""
    if every == "" and allow_inherit:
        return ""
    if every not in CHOICES:
        raise LinkError(BAD_EVERY)
    return every


def own_default(owner_id: int) -> str:
    """The person's own default schedule, "" when they follow the instance's."""
    own = WatchDefault.objects.filter(owner_id=owner_id).values_list("every", flat=True).first()
    return own or ""


def default_every(owner_id: int) -> str:
    return own_default(owner_id) or settings.WATCH_DEFAULT


def effective_every(link: Link, owner_default: str | None = None) -> str:
    """The schedule the link follows (see the module's docstring for the order)."""
    if link.watch_every:
        return link.watch_every
    tagged = {tag.watch_every for tag in link.tags.all() if tag.watch_every}
    for every in BY_FREQUENCY:
        if every in tagged:
            return every
    return owner_default if owner_default is not None else default_every(link.owner_id)


def where_from(link: Link) -> str:
    """Where the link's schedule comes from: link, tag, person or instance."""
    if link.watch_every:
        return "link"
    if any(tag.watch_every for tag in link.tags.all()):
        return "tag"
    if WatchDefault.objects.filter(owner_id=link.owner_id).exists():
        return "person"
    return "instance"


def next_after(every: str, after: datetime) -> datetime:
    """When a link on this schedule is next due, jittered; NEVER_AT for never."""
    interval = INTERVALS.get(every)
    if interval is None:
        return NEVER_AT
    jitter = settings.WATCH_JITTER
    return after + interval * (1 + _random.uniform(-jitter, jitter))


def _first_due(link: Link, every: str, now: datetime) -> datetime:
    """A link just (re)scheduled: one interval after its last check (or its creation);
    one already overdue is spread over the next jitter window instead of all at once."""
    if every not in INTERVALS:
        return NEVER_AT
    base = link.health_checked_at or link.created_at or now
    due = next_after(every, base)
    if due < now:
        due = now + INTERVALS[every] * _random.uniform(0, settings.WATCH_JITTER)
    return due


def reschedule(links: Iterable[Link], now: datetime | None = None) -> int:
    """Recompute when each link is next due from its schedule as it stands now."""
    now = now or timezone.now()
    defaults: dict[int, str] = {}
    changed = []
    for link in links:
        if link.owner_id not in defaults:
            defaults[link.owner_id] = default_every(link.owner_id)
        link.next_check_at = _first_due(link, effective_every(link, defaults[link.owner_id]), now)
        changed.append(link)
    Link.objects.bulk_update(changed, ["next_check_at"], batch_size=500)
    return len(changed)


def set_link_every(link: Link, every: str) -> Link:
    """The link's own schedule; "" follows its tags and its owner's default again."""
    link.watch_every = check_every(every, allow_inherit=True)
    link.save(update_fields=["watch_every", "updated_at"])
    reschedule(Link.objects.filter(pk=link.pk).prefetch_related("tags"))
    return link


def set_tag_every(tag: Tag, every: str) -> Tag:
    """The tag's schedule for its links that name none of their own ("" for none)."""
    tag.watch_every = check_every(every, allow_inherit=True)
    tag.save(update_fields=["watch_every"])
    reschedule(tag.links.filter(watch_every="").prefetch_related("tags"))
    return tag


def set_default_every(owner: User, every: str) -> str:
    """The person's default schedule ("" falls back to LINKHOME_WATCH_DEFAULT)."""
    every = check_every(every, allow_inherit=True)
    if every:
        WatchDefault.objects.update_or_create(owner=owner, defaults={"every": every})
    else:
        WatchDefault.objects.filter(owner=owner).delete()
    reschedule(Link.objects.filter(owner=owner, watch_every="").prefetch_related("tags"))
    return every


def reschedule_all(batch: int = 1000) -> int:
    """Every link scheduled again (after LINKHOME_WATCH_DEFAULT changed), in batches."""
    done, last = 0, 0
    while True:
        links = list(
            Link.objects.filter(pk__gt=last).order_by("pk").prefetch_related("tags")[:batch]
        )
        if not links:
            return done
        done += reschedule(links)
        last = links[-1].pk


def schedule_new(batch: int) -> int:
    """Links never scheduled (new, or saved before watching existed): a bounded batch."""
    links = Link.objects.filter(next_check_at__isnull=True).order_by("pk")
    return reschedule(list(links.prefetch_related("tags")[:batch]))


@dataclass(frozen=True)
class Claimed:
    link_id: int
    snapshot_id: int | None  # None: the link already had a capture waiting or running


def claim_due(batch: int, now: datetime | None = None) -> list[Claimed]:
    """Claim up to `batch` due links and request their scheduled captures.

    Each claim is one conditional UPDATE in the transaction that requests the capture; a
    link another claimer moved first is skipped (0 rows), so each due check runs once."""
    now = now or timezone.now()
    busy = Snapshot.objects.filter(
        link_id=OuterRef("pk"), status__in=(SnapshotStatus.QUEUED, SnapshotStatus.RUNNING)
    )
    due = list(
        Link.objects.filter(next_check_at__lte=now)
        .annotate(busy=Exists(busy))
        .order_by("next_check_at", "pk")
        .prefetch_related("tags")[:batch]
    )
    defaults: dict[int, str] = {}
    claimed = []
    for link in due:
        if link.owner_id not in defaults:
            defaults[link.owner_id] = default_every(link.owner_id)
        every = effective_every(link, defaults[link.owner_id])
        with transaction.atomic():
            won = Link.objects.filter(pk=link.pk, next_check_at=link.next_check_at).update(
                next_check_at=next_after(every, now)
            )
            if not won:
                continue
            snapshot = None
            if every in INTERVALS and not link.busy:
                snapshot = request_capture(link, reason=CaptureReason.SCHEDULED)
            claimed.append(Claimed(link.pk, snapshot.pk if snapshot else None))
    return claimed


def schedule_after_capture(link_id: int) -> None:
    """A link's first capture starts its schedule (a later claim has already moved it)."""
    links = Link.objects.filter(pk=link_id, next_check_at__isnull=True)
    reschedule(list(links.prefetch_related("tags")))


def record_health(
    link_id: int, state: str, status: int | None, detail: str, checked_at: datetime
) -> None:
    """What the newest check found; an older check finishing late never overwrites it."""
    if state not in Health.values:
        raise ValueError(f"unknown health {state!r}")
    newer = Link.objects.filter(pk=link_id, health_checked_at__gt=checked_at)
    if newer.exists():
        return
    Link.objects.filter(pk=link_id).update(
        health=state, health_status=status, health_detail=detail[:300], health_checked_at=checked_at
    )


def schedule_summary(link: Link) -> dict:
    """The link's schedule as the API and the CLI show it."""
    due = link.next_check_at
    return {
        "watch_every": link.watch_every,
        "watch_effective": effective_every(link),
        "watch_from": where_from(link),
        "next_check_at": due.isoformat() if due and due != NEVER_AT else None,
    }
