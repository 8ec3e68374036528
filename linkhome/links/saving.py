"""保存到我的链接: someone else's public snapshot becomes the viewer's own link.

The viewer gets a link of their own to the same address, with the tags they give and the
visibility they choose. When the snapshot they were looking at is fresh (a kept capture
finished at most LINKHOME_SAVE_FRESH_DAYS ago), it becomes the new link's first snapshot
without a second capture (archive.sharing: the same blobs, named again); otherwise, or
when the capture cannot be shared, a capture of the address is queued as for any new
link. If the viewer already keeps that address, its tags are merged into that link
instead (nothing is duplicated, its visibility and snapshots stay as they were).

A snapshot the viewer may not see (someone else's private link, or no such snapshot) is
NoSuchSnapshot, which every adapter answers as 404, as everywhere.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.contrib.auth.models import User
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_noop

from linkhome.archive.models import Snapshot
from linkhome.archive.services import request_capture
from linkhome.archive.sharing import NotShareable, share_snapshot
from linkhome.links import queries
from linkhome.links.models import Link, Visibility
from linkhome.links.services import (
    LinkError,
    _get_or_create,
    check_visibility,
    clean_tag_names,
    link_tag_names,
    set_tags,
)


class NoSuchSnapshot(LinkError):
    """Not there, or not the viewer's to see: a 404 everywhere."""


class AlreadyYours(LinkError):
    """The snapshot is of the viewer's own link."""


@dataclass
class Saved:
    link: Link
    snapshot: Snapshot | None  # the new link's snapshot, or the kept link's newest
    created: bool  # a new link; False: the viewer kept the address already (tags merged)
    shared: bool  # the snapshot seen became the new link's, with no capture
    capture_queued: bool


def is_fresh(snapshot: Snapshot) -> bool:
    """A kept capture (succeeded or partial) finished at most LINKHOME_SAVE_FRESH_DAYS ago."""
    days = settings.SAVE_FRESH_DAYS
    if not days or snapshot.status not in queries.KEPT_STATUSES:
        return False
    finished = snapshot.finished_at or snapshot.created_at
    return finished >= timezone.now() - timedelta(days=days)


def save_to_mine(
    viewer: User,
    snapshot_id: int,
    *,
    tags: Iterable[str] = (),
    visibility: str | None = None,
) -> Saved:
    """Make the snapshot `snapshot_id` (someone else's, visible to the viewer) the viewer's
    own link. `visibility` None: public, as any new link."""
    source = queries.get_snapshot(viewer, snapshot_id)
    if source is None:
        raise NoSuchSnapshot(gettext_noop("no such snapshot"))
    if source.link.owner_id == viewer.pk:
        raise AlreadyYours(gettext_noop("this snapshot is of your own link already"))
    names = clean_tag_names(tags)
    if visibility is not None:
        check_visibility(visibility)
    with transaction.atomic():
        kept = Link.objects.filter(owner=viewer, normalized_url=source.link.normalized_url)
        link = kept.first()
        created = False
        if link is None:
            link, created = _get_or_create(viewer, source.link.url)
        if not created:  # kept already (or added meanwhile): merge the tags, nothing more
            set_tags(link, [*link_tag_names(link), *names])
            return Saved(link, queries.latest_snapshot(link), False, False, False)
        if visibility is not None and visibility != Visibility.PUBLIC:
            link.visibility = visibility
            link.save(update_fields=["visibility", "updated_at"])
        set_tags(link, names)
        snapshot, shared = _first_snapshot(source, link)
    return Saved(link, snapshot, True, shared, not shared)


def _first_snapshot(source: Snapshot, link: Link) -> tuple[Snapshot, bool]:
    if is_fresh(source):
        try:
            with transaction.atomic():
                return share_snapshot(source, link), True
        except NotShareable:
            pass  # captured again below, as a stale one would be
    return request_capture(link), False
