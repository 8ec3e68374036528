"""Tag management: rename, merge, delete (each undoable for a while), and the counts behind
a tag cloud.

Tags are per person; everything here acts on one owner's tags only.

Undo: delete_tag and merge_tags return a token (django.core.signing, so nobody can forge or
alter it) that names the owner, what was done and the link ids it touched, and a deadline
LINKHOME_UNDO_SECONDS ahead. undo() puts the tag back on exactly those links, only if they
are still the same person's and still exist; nothing is stored server-side, so an undo
token is good until its deadline even if used twice (a second undo changes nothing more).
"""

import time
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth.models import User
from django.core import signing
from django.db import transaction
from django.db.models import Count, QuerySet
from django.utils.translation import gettext_noop

from linkhome.links.models import Link, Tag
from linkhome.links.services import LinkError, clean_tag_names, set_tags


class TagError(LinkError):
    """A tag request that cannot be done; the message is for the person (explain(exc) says
    it in their language)."""


class NameTaken(TagError):
    """A rename onto a name the person already uses: merging needs their yes first."""


UNDO_SALT = "linkhome.links.tags.undo"


@dataclass(frozen=True)
class Done:
    """What a delete or a merge left: the tag that remains (None after a delete), how many
    links it touched, and the token that undoes it."""

    tag: Tag | None
    links: int
    undo: str


@dataclass(frozen=True)
class Undone:
    action: str  # "delete" or "merge"
    name: str  # the tag that is back
    links: int  # links it is back on


def _token(owner: User, action: str, **fields: object) -> str:
    deadline = int(time.time()) + int(settings.UNDO_SECONDS)
    return signing.dumps(
        {"owner": owner.pk, "action": action, "until": deadline, **fields}, salt=UNDO_SALT
    )


def _own(owner: User, name: str) -> Tag:
    tag = Tag.objects.filter(owner=owner, name=name).first()
    if tag is None:
        raise TagError(gettext_noop("you have no tag named %(name)s"), name=name)
    return tag


def own_tag(owner: User, name: str) -> Tag:
    """The owner's tag of that name, or TagError."""
    return _own(owner, name)


def rename_tag(owner: User, old: str, new: str) -> Tag:
    """Rename. Onto a name the owner already uses it raises NameTaken (with `name` the
    cleaned new name): merging is merge_tags, after the person said yes."""
    cleaned = clean_tag_names([new])
    if not cleaned:
        raise TagError(gettext_noop("a tag needs a name"))
    tag = _own(owner, old)
    if Tag.objects.filter(owner=owner, name=cleaned[0]).exclude(pk=tag.pk).exists():
        raise NameTaken(
            gettext_noop("the tag %(name)s already exists; merge into it?"), name=cleaned[0]
        )
    tag.name = cleaned[0]
    tag.save(update_fields=["name"])
    return tag


def merge_tags(owner: User, source: str, target: str) -> Done:
    """Every link tagged `source` gets `target` instead; `source` is gone afterwards. The
    token undoes it: `source` comes back on its links, and `target` leaves the links that
    got it from the merge."""
    if source == target:
        raise TagError(gettext_noop("a tag cannot be merged into itself"))
    with transaction.atomic():
        old, new = _own(owner, source), _own(owner, target)
        had = set(new.links.values_list("pk", flat=True))
        moved = sorted(old.links.values_list("pk", flat=True))
        new.links.add(*moved)
        old.delete()
    added = [pk for pk in moved if pk not in had]
    token = _token(owner, "merge", name=source, links=moved, into=target, added=added)
    return Done(tag=new, links=len(moved), undo=token)


def delete_tag(owner: User, name: str) -> Done:
    """The tag goes; the links it was on stay. The token puts it back on them."""
    with transaction.atomic():
        tag = _own(owner, name)
        links = sorted(tag.links.values_list("pk", flat=True))
        token = _token(owner, "delete", name=tag.name, links=links, every=tag.watch_every)
        tag.delete()
    return Done(tag=None, links=len(links), undo=token)


def undo(owner: User, token: str, *, now: float | None = None) -> Undone:
    """Undo a delete_tag or merge_tags by its token: only the same owner, only before the
    deadline, only on links that are still theirs. Refused with a TagError otherwise."""
    try:
        done = signing.loads(token, salt=UNDO_SALT)
    except signing.BadSignature:
        raise TagError(gettext_noop("this undo is not valid")) from None
    if done.get("owner") != owner.pk:
        raise TagError(gettext_noop("only the person who made this change can undo it"))
    if (time.time() if now is None else now) > done["until"]:
        raise TagError(gettext_noop("too late to undo: changes can be undone for a while only"))
    with transaction.atomic():
        links = Link.objects.filter(owner=owner, pk__in=done["links"])
        tag, created = Tag.objects.get_or_create(owner=owner, name=done["name"])
        if created and done.get("every"):
            tag.watch_every = done["every"]
            tag.save(update_fields=["watch_every"])
        tag.links.add(*links)
        if done["action"] == "merge":
            into = Tag.objects.filter(owner=owner, name=done["into"]).first()
            if into is not None:
                into.links.remove(*Link.objects.filter(owner=owner, pk__in=done["added"]))
    return Undone(action=done["action"], name=done["name"], links=len(links))


def tag_counts(owner: User) -> QuerySet[Tag]:
    """The owner's tags with how many links each has, most used first (a tag cloud)."""
    return Tag.objects.filter(owner=owner).annotate(uses=Count("links")).order_by("-uses", "name")


def tag_links(owner: User, links: list[Link], names: list[str], *, remove: bool = False) -> int:
    """Bulk tag (or untag) the owner's selected links; returns how many links changed."""
    changed = 0
    for link in links:
        if link.owner_id != owner.pk:
            raise TagError(gettext_noop("only your own links can be tagged"))
        current = [t.name for t in link.tags.all()]
        wanted = [n for n in current if n not in names] if remove else [*current, *names]
        if wanted != current:
            set_tags(link, wanted)
            changed += 1
    return changed
