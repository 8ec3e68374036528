"""Keeping profiles and neighbour lists current by listening, so capture and links never
import recommend. Connected after search's receivers (INSTALLED_APPS order), so the index
already holds the change.

- a capture finishes (capture's `snapshot_finished`): the link's profile is computed and its
  neighbours ranked and offered (recommend.neighbours); a few stale profiles are weighed
  again and the oldest lists ranked again;
- a link's title, address or visibility changes (post_save), or its tags (m2m_changed):
  its profile follows the index and its neighbours are ranked again.
A deleted link takes its profile with it (a foreign key with CASCADE). Each update runs in
a savepoint and a failure is logged, not raised: a capture or a tag edit must never fail
because a recommendation could not be prepared (a view ranks a missing list itself).
"""

import functools
import logging
from collections.abc import Callable

from django.apps import AppConfig
from django.db import transaction
from django.db.models.signals import m2m_changed, post_save

from linkhome.capture.models import Snapshot, SnapshotStatus
from linkhome.capture.signals import snapshot_finished
from linkhome.links.models import Link
from linkhome.recommend import neighbours, profiles
from linkhome.recommend.models import Profile

log = logging.getLogger("linkhome.recommend")
TEXT_FIELDS = frozenset({"title", "url", "normalized_url"})
RANKED_FIELDS = TEXT_FIELDS | {"visibility"}
SHOWN = (SnapshotStatus.SUCCEEDED, SnapshotStatus.PARTIAL)


def guarded(receiver: Callable[..., None]) -> Callable[..., None]:
    @functools.wraps(receiver)
    def run(*args: object, **kwargs: object) -> None:
        try:
            with transaction.atomic():
                receiver(*args, **kwargs)
        except Exception:
            log.exception("related articles not updated by %s", receiver.__name__)

    return run


@guarded
def on_snapshot_finished(sender: type, snapshot: Snapshot, **_: object) -> None:
    if snapshot.status in SHOWN:
        profiles.update([snapshot.link_id])
        neighbours.rank([snapshot.link_id])
        profiles.refresh_stale()
        neighbours.refresh_oldest()


@guarded
def on_link_saved(
    sender: type, instance: Link, created: bool, update_fields: object = None, **_: object
) -> None:
    changed = set(update_fields) if update_fields is not None else RANKED_FIELDS
    if created or not changed & RANKED_FIELDS or not _has_profile(instance.pk):
        return  # a new link has no capture yet: its snapshot_finished does this
    if changed & TEXT_FIELDS:
        profiles.update([instance.pk])
    neighbours.rank([instance.pk])


@guarded
def on_tags_changed(
    sender: type, instance: object, action: str, reverse: bool, **_: object
) -> None:
    forward = not reverse and action in ("post_add", "post_remove", "post_clear")
    if forward and _has_profile(instance.pk):
        neighbours.rank([instance.pk])


def _has_profile(link_id: int) -> bool:
    return Profile.objects.filter(link_id=link_id).exists()


def connect(app: AppConfig) -> None:
    uid = "linkhome.recommend."
    snapshot_finished.connect(on_snapshot_finished, sender=Snapshot, dispatch_uid=uid + "finished")
    post_save.connect(on_link_saved, sender=Link, dispatch_uid=uid + "link_saved")
    m2m_changed.connect(on_tags_changed, sender=Link.tags.through, dispatch_uid=uid + "tags")
