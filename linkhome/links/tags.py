"""Tag management: rename, merge, delete, and the counts behind a tag cloud.

Tags are per person; everything here acts on one owner's tags only.
"""

from django.contrib.auth.models import User
from django.db import transaction
from django.db.models import Count, QuerySet
from django.utils.translation import gettext_noop

from linkhome.links.models import Link, Tag
from linkhome.links.services import LinkError, clean_tag_names, set_tags


class TagError(LinkError):
    """A tag request that cannot be done; the message is for the person (explain(exc) says
    it in their language)."""


def _own(owner: User, name: str) -> Tag:
    tag = Tag.objects.filter(owner=owner, name=name).first()
    if tag is None:
        raise TagError(gettext_noop("you have no tag named %(name)s"), name=name)
    return tag


def rename_tag(owner: User, old: str, new: str) -> Tag:
    """Rename; renaming onto a name already in use merges the two."""
    cleaned = clean_tag_names([new])
    if not cleaned:
        raise TagError(gettext_noop("a tag needs a name"))
    if Tag.objects.filter(owner=owner, name=cleaned[0]).exclude(name=old).exists():
        return merge_tags(owner, old, cleaned[0])
    tag = _own(owner, old)
    tag.name = cleaned[0]
    tag.save(update_fields=["name"])
    return tag


def merge_tags(owner: User, source: str, target: str) -> Tag:
    """Every link tagged `source` gets `target` instead; `source` is gone afterwards."""
    if source == target:
        return _own(owner, target)
    with transaction.atomic():
        old, new = _own(owner, source), _own(owner, target)
        for link in old.links.all():
            link.tags.add(new)
        old.delete()
    return new


def delete_tag(owner: User, name: str) -> None:
    """The tag goes; the links it was on stay."""
    _own(owner, name).delete()


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
