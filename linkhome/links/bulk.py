"""Actions on many of a person's links at once (the lists' checkboxes, the CLI).

One service per action, each taking the acting person and a set of link ids. Each acts
only on the person's own links: an id of someone else's link, or of no link, is left
alone and counted in `ignored`, so a forged form or API call can never touch another
person's link (and cannot tell whether the id exists).
"""

from collections.abc import Iterable
from dataclasses import dataclass, field

from django.contrib.auth.models import User
from django.db import transaction

from linkhome.links import states
from linkhome.links.deletion import DeletedLink, LinkBusy, delete_link
from linkhome.links.models import Link
from linkhome.links.services import (
    check_visibility,
    clean_tag_names,
    link_tag_names,
    set_tags,
)

# A page of a list is 30 links; an API caller may send more, up to this many at once.
MAX_BULK = 500


@dataclass
class BulkResult:
    changed: int  # the person's links the action changed
    found: int  # the person's links among the ids (changed or already so)
    ignored: int  # ids that are not the person's links: left alone
    deleted: list[DeletedLink] = field(default_factory=list)
    busy: list[int] = field(default_factory=list)  # being captured: not deleted


def _ids(link_ids: Iterable[int]) -> list[int]:
    return list(dict.fromkeys(int(pk) for pk in link_ids))[:MAX_BULK]


def _own(owner: User, ids: list[int]) -> list[Link]:
    return list(Link.objects.filter(owner=owner, pk__in=ids).order_by("pk"))


def mark(owner: User, link_ids: Iterable[int], **marks: bool | None) -> BulkResult:
    """Set marks (read, starred, archived; None leaves one as it is) on the owner's links."""
    ids = _ids(link_ids)
    wanted = {name: value for name, value in marks.items() if value is not None}
    own = Link.objects.filter(owner=owner, pk__in=ids)
    found = own.count()
    unchanged = own.filter(**wanted).count() if wanted else found
    states.set_states(owner, ids, **marks)
    return BulkResult(changed=found - unchanged, found=found, ignored=len(ids) - found)


def set_visibility(owner: User, link_ids: Iterable[int], visibility: str) -> BulkResult:
    """Make the owner's links public or private. Saved one by one, as the edit page saves
    one, so the index and related lists hear of it."""
    check_visibility(visibility)
    ids = _ids(link_ids)
    with transaction.atomic():
        links = _own(owner, ids)
        changed = 0
        for link in links:
            if link.visibility != visibility:
                link.visibility = visibility
                link.save(update_fields=["visibility", "updated_at"])
                changed += 1
    return BulkResult(changed=changed, found=len(links), ignored=len(ids) - len(links))


def add_tags(owner: User, link_ids: Iterable[int], names: Iterable[str]) -> BulkResult:
    """Add tags (cleaned as everywhere: links.services.clean_tag_names) to the owner's links."""
    return _retag(owner, link_ids, clean_tag_names(names), remove=False)


def remove_tags(owner: User, link_ids: Iterable[int], names: Iterable[str]) -> BulkResult:
    return _retag(owner, link_ids, clean_tag_names(names), remove=True)


def _retag(owner: User, link_ids: Iterable[int], names: list[str], *, remove: bool) -> BulkResult:
    ids = _ids(link_ids)
    with transaction.atomic():
        links = _own(owner, ids)
        changed = 0
        for link in links:
            current = link_tag_names(link)
            wanted = [n for n in current if n not in names] if remove else [*current, *names]
            if set(wanted) != set(current):
                set_tags(link, wanted)
                changed += 1
    return BulkResult(changed=changed, found=len(links), ignored=len(ids) - len(links))


def delete(owner: User, link_ids: Iterable[int]) -> BulkResult:
    """Delete the owner's links with their snapshots and every file no one else uses, each
    in its own transaction (links.deletion); one being captured right now is left, in
    `busy`, and the others are still deleted."""
    ids = _ids(link_ids)
    links = _own(owner, ids)
    result = BulkResult(changed=0, found=len(links), ignored=len(ids) - len(links))
    for link in links:
        try:
            result.deleted.append(delete_link(link))
        except LinkBusy:
            result.busy.append(link.pk)
        except Link.DoesNotExist:  # deleted meanwhile (another tab)
            continue
    result.changed = len(result.deleted)
    return result
