"""Keeping profiles and neighbour lists current as links are edited, so links never imports
recommend. The worker connects these after search's (worker/edits.py), so the index already
holds the change; after a capture the worker's sequence weighs and ranks the link
(worker/sequence.py), and its periodic jobs refresh stale profiles and the oldest lists.

- a link's title, address or visibility changes (post_save), or its tags (m2m_changed):
  its profile follows the index and its neighbours are ranked again.
A deleted link takes its profile with it (a foreign key with CASCADE). Each update runs in
a savepoint and a failure is logged, not raised: a capture or a tag edit must never fail
because a recommendation could not be prepared (a view ranks a missing list itself).
"""

import functools
import logging
from collections.abc import Callable

from django.db import transaction

from linkhome.links.models import Link, Tag
from linkhome.recommend import neighbours, profiles
from linkhome.recommend.models import Profile

log = logging.getLogger("linkhome.recommend")
TEXT_FIELDS = frozenset({"title", "url", "normalized_url"})
RANKED_FIELDS = TEXT_FIELDS | {"visibility"}


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
def on_link_saved(
    sender: type,
    instance: Link,
    created: bool,
    update_fields: frozenset[str] | None = None,
    **_: object,
) -> None:
    changed = set(update_fields) if update_fields is not None else RANKED_FIELDS
    if created or not changed & RANKED_FIELDS or not _has_profile(instance.pk):
        return  # a new link has no capture yet: the worker's sequence does this after it
    if changed & TEXT_FIELDS:
        profiles.update([instance.pk])
    neighbours.rank([instance.pk])


@guarded
def on_tags_changed(
    sender: type, instance: Link | Tag, action: str, reverse: bool, **_: object
) -> None:
    forward = not reverse and action in ("post_add", "post_remove", "post_clear")
    if forward and _has_profile(instance.pk):
        neighbours.rank([instance.pk])


def _has_profile(link_id: int) -> bool:
    return Profile.objects.filter(link_id=link_id).exists()
