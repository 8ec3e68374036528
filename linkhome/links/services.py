"""Links and tags: the only code that writes them. Web, API and CLI all call these."""

import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.contrib.auth.models import User
from django.db import IntegrityError, transaction
from django.db.models.signals import m2m_changed
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from linkhome.archive.models import Snapshot
from linkhome.archive.services import request_capture, request_captures
from linkhome.archive.signals import CaptureReason
from linkhome.lib.urls import clean_submitted_url, normalize_url, site_of
from linkhome.links.models import Link, Tag, Visibility
from linkhome.storage.rows import insert_rows

MAX_TAG_LENGTH = 64
TAG_SEPARATORS = (",", "，")  # the ASCII comma and the full-width one Chinese IMEs type


class LinkError(ValueError):
    """A request about links that cannot be done; the message is for the person.

    str() is English; an adapter shows explain(exc), in the reader's language."""

    def __init__(self, template: str, **params: object) -> None:
        super().__init__(template % params if params else template)
        self.template, self.params = template, params


# Shown by the web (a flash), the API (`warnings`) and the CLI (stderr) when add_link cut
# a user name or password out of an address.
CREDENTIALS_REMOVED = gettext_noop(
    "The user name and password in the address were removed: LinkHome never stores them, "
    "and never fetches with them."
)


def explain(exc: Exception) -> str:
    """An error for a person (InvalidUrl, LinkError and its kinds) in the active language;
    other exceptions as they are."""
    template = getattr(exc, "template", None)
    if template is None:
        return str(exc)
    params = getattr(exc, "params", {})
    return _(template) % params if params else _(template)


class RateLimited(LinkError):
    """Too many adds in a short time."""


@dataclass
class AddedLink:
    link: Link
    snapshot: Snapshot | None
    created: bool
    credentials_removed: bool = False  # say CREDENTIALS_REMOVED to the person


def add_link(
    owner: User,
    url: str,
    *,
    tags: Iterable[str] = (),
    visibility: str | None = None,
    title: str = "",
    note: str = "",
    recapture: bool = False,
    browser: bool | None = None,
    reason: CaptureReason = CaptureReason.ADDED,
) -> AddedLink:
    """Save the link at once and queue its snapshot.

    Adding an address the owner already kept returns that link, with the new tags added
    and the visibility, title and note that were given (what was not given is kept); it is
    captured again only when asked, or when it never had a snapshot. A new link without a
    visibility is public. `browser`: capture it in a browser too (see capture.steps.browser);
    None keeps what the link had. `reason`: BULK for an import, whose captures wait behind
    links added one by one."""
    submitted = clean_submitted_url(url)
    if visibility is not None:
        check_visibility(visibility)
    with transaction.atomic():
        link, created = _get_or_create(owner, submitted.url)
        _apply(link, created, tags, visibility, title, note)
        _ask_for_browser(link, browser)
        snapshot = _maybe_capture(link, created or recapture, reason)
    return AddedLink(link, snapshot, created, submitted.credentials_removed)


def _apply(
    link: Link, created: bool, tags: Iterable[str], visibility: str | None, title: str, note: str
) -> None:
    given = {"visibility": visibility, "title": title[:500], "note": note}
    changed = [name for name, value in given.items() if value and getattr(link, name) != value]
    for name in changed:
        setattr(link, name, given[name])
    if changed:
        link.save(update_fields=[*changed, "updated_at"])
    set_tags(link, tags if created else [*link_tag_names(link), *tags])


def _ask_for_browser(link: Link, browser: bool | None) -> None:
    if browser is not None and link.browser != browser:
        link.browser = browser
        link.save(update_fields=["browser", "updated_at"])


def add_links(owner: User, urls: Iterable[str], **options: object) -> list[AddedLink]:
    """Add many links in one transaction, so a bulk add queues everything or nothing."""
    options.setdefault("reason", CaptureReason.BULK)
    with transaction.atomic():
        return [add_link(owner, url, **options) for url in urls]  # type: ignore[arg-type]


def _get_or_create(owner: User, url: str) -> tuple[Link, bool]:
    normalized = normalize_url(url)
    existing = Link.objects.filter(owner=owner, normalized_url=normalized).first()
    if existing:
        return existing, False
    try:
        with transaction.atomic():
            link = Link.objects.create(
                owner=owner, url=url, normalized_url=normalized, host=site_of(url)
            )
    except IntegrityError:
        # A duplicate submission raced us; the first one wins and this one returns it.
        return Link.objects.get(owner=owner, normalized_url=normalized), False
    return link, True


def _maybe_capture(link: Link, wanted: bool, reason: CaptureReason) -> Snapshot | None:
    if wanted or not link.snapshots.exists():
        return request_capture(link, reason=reason)
    return link.snapshots.order_by("-created_at").first()


def check_visibility(visibility: str) -> None:
    if visibility not in Visibility.values:
        raise LinkError(
            gettext_noop("visibility must be one of %(choices)s"),
            choices=", ".join(Visibility.values),
        )


def clean_tag_names(names: Iterable[str]) -> list[str]:
    """Trim, drop empties and duplicates (keeping order); reject over-long names, and names
    with a comma or a control character. Everything else a person can type is a tag name
    ("/", "%", "..", quotes, emoji, RTL marks): pages and URLs must carry it as typed."""
    seen: dict[str, None] = {}
    for raw in names:
        # "# #x" is "x", not " #x": cleaning a clean name must give it back unchanged, or
        # the name a page shows would not find the tag again.
        name = " ".join(str(raw).split()).lstrip("# ")
        _check_tag_name(name)
        if name:
            seen.setdefault(name, None)
    return list(seen)


def _check_tag_name(name: str) -> None:
    if len(name) > MAX_TAG_LENGTH:
        message = gettext_noop("a tag is longer than %(limit)d characters: %(start)s…")
        raise LinkError(message, limit=MAX_TAG_LENGTH, start=name[:20])
    if any(sep in name for sep in TAG_SEPARATORS):
        # Every form types tags as one comma-separated field, so a comma inside a name
        # would split it into two the next time the tags are edited.
        message = gettext_noop("a tag cannot contain a comma (commas separate tags): %(name)s")
        raise LinkError(message, name=name)
    if any(unicodedata.category(char) == "Cc" for char in name):
        # Invisible, and PostgreSQL cannot even store NUL; spaces were folded above.
        raise LinkError(gettext_noop("a tag cannot contain control characters"))


def set_tags(link: Link, names: Iterable[str]) -> list[Tag]:
    tags = [_tag(link.owner, name) for name in clean_tag_names(names)]
    link.tags.set(tags)
    return tags


def _tag(owner: User, name: str) -> Tag:
    tag, _ = Tag.objects.get_or_create(owner=owner, name=name)
    return tag


def link_tag_names(link: Link) -> list[str]:
    return [tag.name for tag in link.tags.all()]


def recapture(link: Link) -> Snapshot:
    return request_capture(link)


def edit_link(link: Link, *, title: str, note: str, tags: Iterable[str], visibility: str) -> Link:
    """Replace what the owner edits: title, note, the whole tag list, visibility."""
    check_visibility(visibility)
    with transaction.atomic():
        link.title, link.note, link.visibility = title[:500], note, visibility
        link.save(update_fields=["title", "note", "visibility", "updated_at"])
        set_tags(link, tags)
    return link


def check_add_rate(owner: User) -> None:
    """The web and the API allow LINKHOME_ADD_LIMIT_PER_MINUTE new links per person per
    minute, so one account cannot flood the workers; the local CLI is not limited."""
    limit = settings.ADD_LIMIT_PER_MINUTE
    since = timezone.now() - timedelta(minutes=1)
    if limit and Link.objects.filter(owner=owner, created_at__gte=since).count() >= limit:
        raise RateLimited(
            gettext_noop("you added %(limit)d links in the last minute; try again in a minute"),
            limit=limit,
        )


# --- many links at once (imports) ------------------------------------------------------------


@dataclass
class BulkLink:
    """One link of a bulk save. `url` is already clean (lib.urls.clean_submitted_url) and
    `normalized` its normalize_url(); tags are valid names (clean_tag_names)."""

    url: str
    normalized: str
    title: str = ""
    note: str = ""
    tags: tuple[str, ...] = ()
    private: bool = False
    saved_at: datetime | None = None


@dataclass
class BulkSaved:
    link_id: int
    created: bool
    tags_added: int  # tags the link did not have (all of them for a new link)
    snapshot_id: int | None  # the capture queued for it, if one was


def save_links(
    owner: User, items: list[BulkLink], *, reason: CaptureReason = CaptureReason.BULK
) -> dict[str, BulkSaved]:
    """add_link for many links, in a fixed number of queries per call (an import saves
    100,000 bookmarks in batches of a thousand), inside the caller's transaction.

    A new link gets its saved date (or now), title, note, visibility and tags, and a queued
    capture. A link the owner already kept gets the tags it lacked, the title and note when
    it had none, and becomes private when asked (an import never makes a link public); it is
    captured only if it never was. The same address twice in `items` is one link. The
    answer is keyed by the normalized address."""
    if not items:
        return {}
    items = _merge_repeats(items)
    with transaction.atomic():
        existing = _existing(owner, [item.normalized for item in items])
        new = [item for item in items if item.normalized not in existing]
        created = _create(owner, new)
        links = {**existing, **created}
        tags = _tags_by_name(owner, {name for item in items for name in item.tags})
        added = _add_tags(links, items, tags, set(created))
        _update_existing(existing, items)
        never_captured = _never_captured(
            [existing[i.normalized] for i in items if i.normalized in existing]
        )
        to_capture = [*created.values(), *never_captured]
        snapshots = request_captures([(link.pk, link.url) for link in to_capture], reason=reason)
    return {
        item.normalized: BulkSaved(
            link_id=(link := links[item.normalized]).pk,
            created=item.normalized in created,
            tags_added=added.get(link.pk, 0),
            snapshot_id=snapshots.get(link.pk),
        )
        for item in items
    }


def _merge_repeats(items: list[BulkLink]) -> list[BulkLink]:
    merged: dict[str, BulkLink] = {}
    for item in items:
        first = merged.get(item.normalized)
        if first is None:
            merged[item.normalized] = item
        else:
            first.tags = tuple(dict.fromkeys([*first.tags, *item.tags]))
    return list(merged.values())


def _existing(owner: User, normalized: list[str]) -> dict[str, Link]:
    rows = Link.objects.filter(owner=owner, normalized_url__in=normalized).only(
        "pk", "url", "normalized_url", "title", "note", "visibility", "owner_id"
    )
    return {link.normalized_url: link for link in rows}


def _create(owner: User, items: list[BulkLink]) -> "dict[str, Link | _NewLink]":
    now = timezone.now()
    columns = ["owner_id", "url", "normalized_url", "host", "title", "note", "visibility"]
    columns.append("created_at")
    rows = [
        (
            owner.pk,
            item.url,
            item.normalized,
            site_of(item.url),
            item.title[:500],
            item.note,
            Visibility.PRIVATE if item.private else Visibility.PUBLIC,
            item.saved_at or now,
        )
        for item in items
    ]
    try:
        with transaction.atomic():
            made = insert_rows(Link, columns, rows, returning=["id", "normalized_url"])
    except IntegrityError:
        # Someone added one of these addresses meanwhile: save them one by one instead.
        return {item.normalized: _get_or_create(owner, item.url)[0] for item in items}
    urls = {item.normalized: item.url for item in items}
    # Only what the rest of save_links reads (the id and the address); a model instance
    # each would cost more than the insert (its init sends two signals).
    return {normalized: _NewLink(pk=link_id, url=urls[normalized]) for link_id, normalized in made}


@dataclass(slots=True)
class _NewLink:
    pk: int
    url: str


def _tags_by_name(owner: User, names: set[str]) -> dict[str, Tag]:
    if not names:
        return {}
    tags = {tag.name: tag for tag in Tag.objects.filter(owner=owner, name__in=names)}
    missing = [Tag(owner=owner, name=name) for name in names if name not in tags]
    if missing:
        Tag.objects.bulk_create(missing, ignore_conflicts=True)
        tags = {tag.name: tag for tag in Tag.objects.filter(owner=owner, name__in=names)}
    return tags


def _add_tags(
    links: "dict[str, Link | _NewLink]",
    items: list[BulkLink],
    tags: dict[str, Tag],
    created: set[str],
) -> dict[int, int]:
    """Tag relations the links lack, in one insert; search and related lists hear of the
    existing links that got new tags (new links have nothing indexed yet)."""
    through = Link.tags.through
    old_ids = [links[item.normalized].pk for item in items if item.normalized not in created]
    have = set(
        through.objects.filter(link_id__in=old_ids).values_list("link_id", "tag_id")
        if old_ids
        else []
    )
    rows: list[tuple[int, int]] = []
    added: dict[int, int] = {}
    for item in items:
        link_id = links[item.normalized].pk
        for name in item.tags:
            pair = (link_id, tags[name].pk)
            if pair not in have:
                have.add(pair)
                rows.append(pair)
                added[link_id] = added.get(link_id, 0) + 1
    try:
        with transaction.atomic():
            insert_rows(through, ["link_id", "tag_id"], rows)
    except IntegrityError:  # a tag was put on one of these links meanwhile
        through.objects.bulk_create(
            [through(link_id=link, tag_id=tag) for link, tag in rows], ignore_conflicts=True
        )
    for item in items:
        link = links[item.normalized]
        if isinstance(link, Link) and added.get(link.pk):  # a link kept before
            tag_ids = {tags[name].pk for name in item.tags}
            m2m_changed.send(
                sender=through,
                instance=link,
                action="post_add",
                reverse=False,
                model=Tag,
                pk_set=tag_ids,
                using=link._state.db,
            )
    return added


def _update_existing(existing: dict[str, Link], items: list[BulkLink]) -> None:
    for item in items:
        link = existing.get(item.normalized)
        if link is None:
            continue
        changed: list[str] = []
        if item.title and not link.title:
            link.title, changed = item.title[:500], [*changed, "title"]
        if item.note and not link.note:
            link.note, changed = item.note, [*changed, "note"]
        if item.private and link.visibility != Visibility.PRIVATE:
            link.visibility, changed = Visibility.PRIVATE, [*changed, "visibility"]
        if changed:
            link.save(update_fields=[*changed, "updated_at"])


def _never_captured(links: list[Link]) -> list[Link]:
    if not links:
        return []
    captured = set(
        Snapshot.objects.filter(link_id__in=[link.pk for link in links]).values_list(
            "link_id", flat=True
        )
    )
    return [link for link in links if link.pk not in captured]
