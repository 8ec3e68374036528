"""One notification event per check that found a watched page changed, gone or moved.

The worker's capture sequence calls `record()` right after the check is stored
(worker/sequence.py: what changed → notifications); the `notify-deliveries` job calls
`catch_up()` for checks a killed worker or a failed step left without their event. Both
read what history.changes decided, as stored on the snapshot (`change`, `health`,
`compared_with`); nothing is compared again here. The one writer of `Notification` (and of
the `Delivery` rows an event starts with).

- never for a first capture (nothing to compare with) or an unchanged page;
- `changed`: the main text changed since the kept capture before;
- `gone` / `moved`: the check found the page gone (404, 410, a soft 404, the site's
  generic page) or moved, and the link's check before did not already say so: a page that
  stays dead is told once, not at every check;
- only for the owner's own links that notify (notify.preferences), to the owner alone.
"""

from datetime import datetime

from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef, Q

from linkhome.archive.models import Snapshot
from linkhome.notify import preferences
from linkhome.notify.models import (
    Channel,
    Delivery,
    Kind,
    LinkNotify,
    Notification,
    TagNotify,
)

CATCH_UP_BATCH = 500


def kind_of(snapshot: Snapshot) -> str:
    """What to tell about this finished check: changed, gone, moved or "" (nothing)."""
    if snapshot.compared_with_id is None:
        return ""  # a first capture, or a failure with no kept capture before it
    if snapshot.health in (Kind.GONE, Kind.MOVED):
        return "" if _health_before(snapshot) == snapshot.health else snapshot.health
    return Kind.CHANGED if snapshot.change == "changed" else ""


def _health_before(snapshot: Snapshot) -> str:
    earlier = Q(created_at__lt=snapshot.created_at) | Q(
        created_at=snapshot.created_at, pk__lt=snapshot.pk
    )
    before = (
        Snapshot.objects.filter(earlier, link_id=snapshot.link_id)
        .exclude(health="")
        .order_by("-created_at", "-pk")
        .values_list("health", flat=True)
        .first()
    )
    return before or ""


def record(snapshot: Snapshot) -> Notification | None:
    """The event for this check, if it calls for one and the link notifies; its deliveries
    (the owner's webhook and email, when set) are queued in the same transaction."""
    snapshot = Snapshot.objects.select_related("link").get(pk=snapshot.pk)
    kind = kind_of(snapshot)
    if not kind or not preferences.notifies(snapshot.link):
        return None
    existing = Notification.objects.filter(snapshot=snapshot).first()
    if existing is not None:
        return existing
    link = snapshot.link
    try:
        with transaction.atomic():
            event = Notification.objects.create(
                owner_id=link.owner_id,
                link=link,
                snapshot=snapshot,
                compared_with_id=snapshot.compared_with_id,
                kind=kind,
                title=_title(snapshot, kind)[:500],
                url=link.url,
                change_ratio=snapshot.change_ratio,
                change_added=snapshot.change_added,
                change_removed=snapshot.change_removed,
                http_status=snapshot.http_status,
                detail=snapshot.health_detail[:300],
                created_at=snapshot.finished_at or snapshot.created_at,
            )
            _queue_deliveries(event)
    except IntegrityError:  # another worker recorded this check first
        return Notification.objects.filter(snapshot=snapshot).first()
    return event


def _title(snapshot: Snapshot, kind: str) -> str:
    """The keeper's title, else the page's; for a dead or moved page the one it had before
    ("页面不存在" or the home page's title names nothing the person kept)."""
    if snapshot.link.title:
        return snapshot.link.title
    if kind == Kind.CHANGED and snapshot.title:
        return snapshot.title
    before = Snapshot.objects.filter(pk=snapshot.compared_with_id or 0)
    return before.values_list("title", flat=True).first() or snapshot.title


def _queue_deliveries(event: Notification) -> None:
    channels = preferences.channels_of(event.owner)
    wanted = []
    if channels.webhook_url:
        wanted.append(Channel.WEBHOOK)
    if channels.email_on and channels.email and preferences.email_available():
        wanted.append(Channel.EMAIL)
    Delivery.objects.bulk_create(
        [Delivery(notification=event, channel=c, next_at=event.created_at) for c in wanted]
    )


def catch_up(since: datetime) -> int:
    """Checks finished since `since` that call for an event and have none (a worker killed
    between the check and its event): recorded now. Returns how many were recorded."""
    told = Notification.objects.filter(snapshot_id=OuterRef("pk"))
    # Only links that notify (preferences.notifies, in SQL): the many checks of links
    # nobody asked about never crowd out the few that matter.
    own = LinkNotify.objects.filter(link_id=OuterRef("link_id"))
    tagged = TagNotify.objects.filter(tag__links=OuterRef("link_id"))
    notifying = Exists(own.filter(notify=True)) | (~Exists(own) & Exists(tagged))
    candidates = (
        Snapshot.objects.filter(finished_at__gte=since, compared_with__isnull=False)
        .filter(Q(change="changed") | Q(health__in=(Kind.GONE, Kind.MOVED)))
        .filter(~Exists(told))
        .filter(notifying)
        .order_by("finished_at", "pk")[:CATCH_UP_BATCH]
    )
    return sum(1 for snapshot in candidates if record(snapshot) is not None)
