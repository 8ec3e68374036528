"""A person's own marks on their links: read or unread, 星标 (starred), 归档 (archived).

The only writers of Link.read, Link.starred and Link.archived (links.bulk sets them for
many links through `set_states`). Marks are the owner's alone: they are never shown to
anyone else and change nothing anyone else sees, so they are written with one UPDATE,
without the model's save signals (the search index and related lists do not hold them).
"""

from collections.abc import Iterable

from django.contrib.auth.models import User
from django.utils import timezone
from django.utils.translation import gettext_noop

from linkhome.links.models import Link
from linkhome.links.services import LinkError

STATES = ("read", "starred", "archived")
# The named actions of lists and the API's bulk endpoint: the marks each one sets.
MARK_ACTIONS: dict[str, dict[str, bool]] = {
    "read": {"read": True},
    "unread": {"read": False},
    "star": {"starred": True},
    "unstar": {"starred": False},
    "archive": {"archived": True},
    "unarchive": {"archived": False},
}


def set_states(
    owner: User,
    link_ids: Iterable[int],
    *,
    read: bool | None = None,
    starred: bool | None = None,
    archived: bool | None = None,
) -> int:
    """Set the marks given (None leaves a mark as it is) on those of `link_ids` that are
    the owner's; ids of other people's links, or of no link, are ignored. Returns how many
    of the owner's links were found."""
    wanted = {
        name: value
        for name, value in (("read", read), ("starred", starred), ("archived", archived))
        if value is not None
    }
    ids = list(link_ids)
    own = Link.objects.filter(owner=owner, pk__in=ids)
    if not wanted:
        return own.count()
    return own.update(**wanted, updated_at=timezone.now())


def set_link_states(link: Link, **states: bool | None) -> Link:
    """set_states for one link the caller found among the owner's; the instance follows."""
    unknown = set(states) - set(STATES)
    if unknown:
        raise LinkError(gettext_noop("unknown mark: %(name)s"), name=", ".join(sorted(unknown)))
    set_states(link.owner, [link.pk], **states)
    for name, value in states.items():
        if value is not None:
            setattr(link, name, value)
    return link


def mark_read_on_open(link: Link, viewer_id: int | None) -> bool:
    """The owner opening one of their links' snapshot pages reads it: marked read (one
    conditional UPDATE, nothing when it was read already). Anyone else changes nothing."""
    if viewer_id is None or link.owner_id != viewer_id or link.read:
        return False
    changed = Link.objects.filter(pk=link.pk, owner_id=viewer_id, read=False).update(read=True)
    link.read = True
    return bool(changed)
