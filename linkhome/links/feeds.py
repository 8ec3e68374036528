"""What a feed carries (Atom and RSS: linkhome.web.feeds writes them): which snapshots, and of
each the title, the keeper, the tags, an excerpt of the readable text and its dates.

Public feeds follow the public 最新快照 list's rule (``queries.public_snapshots``): a private
link is in none of them, for anyone, its owner included. A person's private feed
(``own_items``) is theirs alone, reached by a secret address (accounts.feed_addresses).
Each list costs a fixed number of queries however many items (``LINKHOME_FEED_ITEMS``).
"""

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime

from django.conf import settings
from django.contrib.auth.models import User
from django.db.models import QuerySet
from django.db.models.functions import Substr

from linkhome.archive.models import Snapshot
from linkhome.lib.urls import display_url
from linkhome.links import queries
from linkhome.links.models import Link
from linkhome.links.visibility import visible_q

EXCERPT_CHARS = 280
# How much of a page's text is read from the database for its excerpt: enough for
# EXCERPT_CHARS once runs of spaces are folded, never a whole page.
_TEXT_READ = 4 * EXCERPT_CHARS
# What is no text: control characters but tab and line ends (C0 and C1: XML 1.0 cannot carry
# the first and discourages the second; feed readers read the second as Windows-1252), lone
# surrogates and the noncharacters U+FFFE/U+FFFF. Titles may hold them; feeds drop them.
_NOT_TEXT = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")


def without_control_characters(text: str) -> str:
    return _NOT_TEXT.sub("", text)


@dataclass(frozen=True)
class FeedItem:
    snapshot_id: int  # the item is this snapshot's page
    link_id: int
    title: str  # the keeper's title for the link, else the page's, else the address
    url: str  # the original address, as shown
    keeper: str  # the owner's nickname
    tags: tuple[str, ...]
    excerpt: str  # the start of the readable text (of the description when there is none)
    saved_at: datetime  # when the link was saved (an imported link: its original date)
    captured_at: datetime  # when the snapshot was taken
    changed_at: datetime  # the newest of: the link edited, the snapshot taken or finished


def item_limit() -> int:
    return max(1, settings.FEED_ITEMS)


def public_items(limit: int | None = None) -> list[FeedItem]:
    """The public 最新快照 list, newest first."""
    return _items(queries.public_snapshots(), limit)


def person_items(person: User, limit: int | None = None) -> list[FeedItem]:
    """The person's public snapshots, newest first (never a private one, even to them)."""
    return _items(queries.public_snapshots().filter(link__owner=person), limit)


def keeps_public(person: User) -> bool:
    """Whether the person has anything in the public list: someone who shares nothing has
    no public page or feed (their nickname is not told to whoever guesses their id)."""
    return queries.public_snapshots().filter(link__owner=person).exists()


def tag_items(name: str, limit: int | None = None) -> list[FeedItem]:
    """Public snapshots of links tagged `name`, by anyone, newest first."""
    return _items(queries.public_snapshots().filter(queries.has_tag(name)), limit)


def own_items(owner: User, limit: int | None = None) -> list[FeedItem]:
    """The owner's own links, private ones included, newest saved first, each as its newest
    snapshot (whatever its state: the owner's list shows them all). Links without any
    snapshot (all deleted) are left out: an item is a snapshot page."""
    links = queries.with_latest_snapshot(Link.objects.filter(owner=owner))
    newest = (
        links.filter(latest_id__isnull=False)
        .order_by("-created_at", "-pk")
        .values_list("latest_id", flat=True)[: limit or item_limit()]
    )
    ids = [pk for pk in newest if pk is not None]
    return snapshot_items(Snapshot.objects.filter(link__owner=owner), ids)


def snapshot_items(allowed: QuerySet[Snapshot], snapshot_ids: Sequence[int]) -> list[FeedItem]:
    """The items for these snapshots, in this order, read from `allowed` (so a caller's rule
    still holds: an id outside it is dropped)."""
    rows = _with_feed_fields(allowed.filter(pk__in=snapshot_ids))
    found = {s.pk: s for s in rows}
    texts = _text_heads(list(found))
    return [_item(found[pk], texts.get(pk, "")) for pk in snapshot_ids if pk in found]


def public_snapshot_items(snapshot_ids: Sequence[int]) -> list[FeedItem]:
    """Items for snapshots of public links only (a search feed's hits, checked again)."""
    return snapshot_items(Snapshot.objects.filter(visible_q(None, "link__")), snapshot_ids)


def newest_change(items: Iterable[FeedItem]) -> datetime | None:
    """What a feed's Last-Modified says: the newest change among its items."""
    return max((item.changed_at for item in items), default=None)


def excerpt(text: str, limit: int = EXCERPT_CHARS) -> str:
    """The text's start with runs of spaces folded, cut at `limit` characters with "…"
    (at a space when one is near the end, so an English word stays whole)."""
    flat = " ".join(without_control_characters(text).split())
    if len(flat) <= limit:
        return flat
    cut = flat[:limit]
    space = cut.rfind(" ")
    if space > limit * 0.8:
        cut = cut[:space]
    return cut.rstrip() + "…"


def _items(snapshots: QuerySet[Snapshot], limit: int | None) -> list[FeedItem]:
    page = list(_with_feed_fields(snapshots)[: limit or item_limit()])
    texts = _text_heads([s.pk for s in page])
    return [_item(s, texts.get(s.pk, "")) for s in page]


def _with_feed_fields(snapshots: QuerySet[Snapshot]) -> QuerySet[Snapshot]:
    return (
        snapshots.defer(*queries.LONG_FIELDS)
        .select_related("link__owner__profile")
        .prefetch_related("link__tags")
    )


def _text_heads(snapshot_ids: list[int]) -> dict[int, str]:
    """The start of each snapshot's text (else its description), in one query by id: read
    in the list's own query, the text would be read for every row the database sorts
    before it stops at a page (measured: twice the time of the whole feed at 10k links)."""
    if not snapshot_ids:
        return {}
    rows = (
        Snapshot.objects.filter(pk__in=snapshot_ids)
        .annotate(
            text_head=Substr("text", 1, _TEXT_READ),
            description_head=Substr("description", 1, _TEXT_READ),
        )
        .values_list("pk", "text_head", "description_head")
    )
    return {pk: text or description or "" for pk, text, description in rows}


def _item(snapshot: Snapshot, text: str) -> FeedItem:
    link = snapshot.link
    profile = getattr(link.owner, "profile", None)
    moments = [snapshot.created_at, link.updated_at]
    if snapshot.finished_at:
        moments.append(snapshot.finished_at)
    return FeedItem(
        snapshot_id=snapshot.pk,
        link_id=link.pk,
        title=link.title or snapshot.title or display_url(snapshot.url),
        url=display_url(link.url),
        keeper=profile.nickname if profile else "",
        tags=tuple(tag.name for tag in link.tags.all()),
        excerpt=excerpt(text or ""),
        saved_at=link.created_at,
        captured_at=snapshot.created_at,
        changed_at=max(moments),
    )
