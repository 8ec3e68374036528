"""The read side of links: what the CLI, the API and the web show. Writes live in services."""

from typing import TYPE_CHECKING, Literal, TypedDict

from django.contrib.auth.models import User
from django.db.models import Exists, F, OuterRef, Prefetch, Q, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce, Concat, NullIf, Substr

from linkhome.archive.artifacts import artifact_bytes
from linkhome.archive.models import Artifact, Snapshot, SnapshotStatus
from linkhome.lib.urls import display_url
from linkhome.links.models import Link
from linkhome.links.visibility import Viewer, visible_q

if TYPE_CHECKING:
    from django_stubs_ext import WithAnnotations  # django-stubs, for the checker only

# Lists never show these; they can be large (the whole readable text).
LONG_FIELDS = ("text", "description")


def visible_links(viewer: Viewer) -> QuerySet[Link]:
    """Public links plus the viewer's own (links.visibility)."""
    return Link.objects.filter(visible_q(viewer))


def visible_snapshots(viewer: Viewer) -> QuerySet[Snapshot]:
    # EXISTS, not IN or a join: it lets SQLite walk the snapshots newest first and stop
    # at a page's worth, instead of sorting every visible row (0.4 ms, not 70, at 10k).
    links = visible_links(viewer).filter(pk=OuterRef("link_id"))
    return Snapshot.objects.filter(Exists(links))


def owned_links(
    owner: User,
    tags: list[str] | None = None,
    *,
    status: str = "",
    visibility: str = "",
    health: str = "",
    shelf: str = "all",
    marks: dict[str, bool] | None = None,
) -> QuerySet[Link]:
    """The owner's links, newest first, having every tag in `tags`; `status` filters on the
    newest snapshot's status, `health` on what the newest check found, `shelf` on the
    owner's marks as the lists show them (shelf_q), `marks` on each mark given
    ({"read": False}: unread ones)."""
    links = Link.objects.filter(owner=owner).filter(shelf_q(shelf))
    if marks:
        links = links.filter(**{name: bool(value) for name, value in marks.items()})
    if health:
        links = links.filter(health=health)
    for name in tags or []:
        links = links.filter(tags__name=name)
    if visibility:
        links = links.filter(visibility=visibility)
    links = with_latest_snapshot(links)
    if status:
        links = links.filter(latest_status=status)
    return links.prefetch_related("tags").order_by("-created_at", "-pk")


# The lists of a person's links by their marks (links.states): "" is the default list,
# which archived links leave; "all" is every link.
SHELVES = ("", "unread", "starred", "archived", "all")
MARKS = ("read", "starred", "archived")


def shelf_q(shelf: str) -> Q:
    """ "" (the default list: not archived), "unread" (not read and not archived),
    "starred" (starred, archived or not: a favourite stays one), "archived", "all"."""
    if shelf == "unread":
        return Q(read=False, archived=False)
    if shelf == "starred":
        return Q(starred=True)
    if shelf == "archived":
        return Q(archived=True)
    if shelf == "all":
        return Q()
    return Q(archived=False)


class LatestSnapshot(TypedDict):
    """What with_latest_snapshot adds to each link (None for a link without snapshots)."""

    latest_id: int | None
    latest_title: str | None
    latest_status: str | None


def with_latest_snapshot(
    links: QuerySet[Link],
) -> "QuerySet[WithAnnotations[Link, LatestSnapshot]]":
    """Each link with its newest snapshot's id, title and status, in the same query: a list
    of links must not cost one query per row."""
    newest = Snapshot.objects.filter(link=OuterRef("pk")).order_by("-created_at", "-pk")
    return links.annotate(
        latest_id=Subquery(newest.values("pk")[:1]),
        latest_title=Subquery(newest.values("title")[:1]),
        latest_status=Subquery(newest.values("status")[:1]),
    )


def snapshot_versions(snapshot: Snapshot) -> QuerySet[Snapshot]:
    """Every snapshot of the same link, newest first (one of them is `snapshot`)."""
    return Snapshot.objects.filter(link_id=snapshot.link_id).order_by("-created_at", "-pk")


# Captures that hold a page: what a Wayback address, a TimeMap or a diff may point at.
KEPT_STATUSES = (SnapshotStatus.SUCCEEDED, SnapshotStatus.PARTIAL)


def address_captures(
    viewer: Viewer, hosts: list[str], normalized_urls: list[str]
) -> QuerySet[Snapshot]:
    """Every kept capture of one address, by any keeper, that the viewer may see, oldest
    first. The address is given as its spellings (`normalized_url` values: http and https,
    with and without www.) and its host without www. (`Link.host`, indexed; an
    internationalised name in both its forms)."""
    return (
        visible_snapshots(viewer)
        .filter(
            link__host__in=hosts,
            link__normalized_url__in=normalized_urls,
            status__in=KEPT_STATUSES,
        )
        .defer(*LONG_FIELDS)
        .select_related("link__owner__profile")
        .order_by("created_at", "pk")
    )


def previous_capture(snapshot: Snapshot) -> Snapshot | None:
    """The kept capture of the same link just before this one (same visibility: one link)."""
    earlier = Q(created_at__lt=snapshot.created_at) | Q(
        created_at=snapshot.created_at, pk__lt=snapshot.pk
    )
    return (
        snapshot_versions(snapshot)
        .filter(earlier, status__in=KEPT_STATUSES)
        .defer(*LONG_FIELDS)
        .first()
    )


def has_real_title() -> Q:
    """A snapshot with a title a person would call one: the keeper's own title for the link,
    or the page's, unless that is empty, an address, or only the file name at the end of
    the address (what a document without a title of its own gets: "chart.png")."""
    file_name = Q(url__endswith=Concat(Value("/"), F("title"))) | Q(
        final_url__endswith=Concat(Value("/"), F("title"))
    )
    no_title = Q(title="") | Q(title__contains="://") | Q(title__startswith="www.") | file_name
    return ~Q(link__title="") | ~no_title


def last_good(link: Link) -> Snapshot | None:
    """The newest kept capture of the link that did not find it gone."""
    return (
        link.snapshots.filter(status__in=KEPT_STATUSES)
        .exclude(health="gone")
        .defer(*LONG_FIELDS)
        .order_by("-created_at", "-pk")
        .first()
    )


def public_snapshots() -> QuerySet[Snapshot]:
    """The rule of the public 最新快照 list, newest first: public links only, never a private
    one, not even to its owner (they have their own list); only finished captures (succeeded
    or partial) with a real title (``has_real_title``): no queued rows titled by their
    address, no failures, no bare file names. The home page's list and every public feed
    (links.feeds) read it."""
    return (
        visible_snapshots(None)
        .filter(has_real_title(), status__in=KEPT_STATUSES)
        .order_by("-created_at", "-pk")
    )


def public_feed() -> QuerySet[Snapshot]:
    """Newest public snapshots (``public_snapshots``), with what a feed row shows, in a fixed
    number of queries however long the page."""
    favicons = Prefetch(
        "artifacts",
        queryset=Artifact.objects.filter(kind="favicon", status="ok").only("pk", "snapshot_id"),
        to_attr="favicons",
    )
    return (
        public_snapshots()
        .defer(*LONG_FIELDS)
        .select_related("link__owner__profile")
        .prefetch_related("link__tags", favicons)
    )


# What a list row shows of a snapshot besides its title: the pictures (ArtifactKind values;
# the browser thumbnail before the capture's preview) and the start of its description or text.
LIST_PICTURE_KINDS = ("favicon", "thumbnail", "preview")
EXCERPT_CHARS = 60


def list_details(snapshot_ids: list[int]) -> tuple[list[dict], list[Artifact]]:
    """For one page of a list, in two queries whatever its length: each snapshot's status,
    retry state, excerpt and visibility (values dicts), and its list pictures (artifacts
    without their bytes). The caller has already checked who may see these snapshots."""
    ids = [pk for pk in snapshot_ids if pk is not None]
    if not ids:
        return [], []
    excerpt = Substr(Coalesce(NullIf("description", Value("")), "text"), 1, EXCERPT_CHARS)
    rows = list(
        Snapshot.objects.filter(pk__in=ids)
        .annotate(excerpt=excerpt, visibility=F("link__visibility"))
        .values("pk", "status", "attempts", "retry_after", "content_type", "excerpt", "visibility")
    )
    pictures = list(
        Artifact.objects.filter(snapshot_id__in=ids, kind__in=LIST_PICTURE_KINDS, status="ok")
        .only("pk", "snapshot_id", "kind", "mime", "sha256")
        .order_by("id")
    )
    return [dict(row) for row in rows], pictures


def row_status(viewer: Viewer, snapshot_id: int) -> Snapshot | None:
    """What a list row's status shows, for a snapshot the viewer may see (else None)."""
    return (
        visible_snapshots(viewer)
        .only("pk", "status", "attempts", "retry_after", "error", "http_status", "link_id")
        .filter(pk=snapshot_id)
        .first()
    )


def latest_snapshot(link: Link) -> Snapshot | None:
    return link.snapshots.order_by("-created_at").first()


def get_snapshot(viewer: Viewer, snapshot_id: int) -> Snapshot | None:
    artifacts = Prefetch("artifacts", queryset=Artifact.objects.order_by("id"))
    query = (
        visible_snapshots(viewer)
        .select_related("link__owner__profile")
        .prefetch_related(artifacts, "link__tags")
    )
    return query.filter(pk=snapshot_id).first()


def link_summary(link: Link, viewer: "Viewer | Literal['owner']" = "owner") -> dict:
    """The link as the API and `--json` show it. Its marks (read, starred, archived) are
    its owner's alone: for any other `viewer` they are all false. `viewer` "owner" is for
    callers that found the link among the owner's own."""
    mine = viewer == "owner" or getattr(viewer, "pk", None) == link.owner_id
    return {
        "id": link.pk,
        "url": display_url(link.url),
        "title": link.title or _latest_title(link),
        "tags": [tag.name for tag in link.tags.all()],
        "visibility": link.visibility,
        "browser": link.browser,
        "health": health_summary(link),
        "read": link.read and mine,
        "starred": link.starred and mine,
        "archived": link.archived and mine,
    }


def health_summary(link: Link) -> dict:
    """What the newest check of the original address found (links.watching.record_health):
    `"link": {"health": …}` of `linkhome show --json` and the API."""
    checked = link.health_checked_at
    return {
        "state": link.health,
        "checked_at": checked.isoformat() if checked else None,
        "status": link.health_status,
        "detail": link.health_detail,
    }


def _latest_title(link: Link) -> str:
    if hasattr(link, "latest_title"):  # annotated by with_latest_snapshot
        return link.latest_title or ""
    latest = latest_snapshot(link)
    return latest.title if latest else ""


def artifact_summary(artifact: Artifact) -> dict:
    return {
        "kind": artifact.kind,
        "size": artifact.size,
        "sha256": artifact.sha256,
        "status": artifact.status,
        "mime": artifact.mime,
        "error": artifact.error,
    }


def snapshot_summary(snapshot: Snapshot, *, with_text: bool = True) -> dict:
    data = {
        "id": snapshot.pk,
        "url": display_url(snapshot.url),
        "status": snapshot.status,
        "error": snapshot.error,
        "http_status": snapshot.http_status,
        "final_url": display_url(snapshot.final_url),
        "content_type": snapshot.content_type,
        "title": snapshot.title,
        "full_title": snapshot.full_title,
        "author": snapshot.author,
        "published": snapshot.published.isoformat() if snapshot.published else None,
        "site_name": snapshot.site_name,
        "language": snapshot.language,
        "description": snapshot.description,
        "charset": snapshot.charset,
        "charset_source": snapshot.charset_source,
        "ocr": snapshot.ocr,
        "created_at": snapshot.created_at.isoformat(),
        "finished_at": snapshot.finished_at.isoformat() if snapshot.finished_at else None,
        "change": snapshot.change,
        "change_ratio": snapshot.change_ratio,
        "change_added": snapshot.change_added,
        "change_removed": snapshot.change_removed,
        "compared_with": snapshot.compared_with_id,
        "health": snapshot.health,
        "artifacts": [artifact_summary(a) for a in snapshot.artifacts.all()],
    }
    if with_text:
        data["text"] = snapshot.text
    return data


def link_with_snapshot(
    link: Link, snapshot: Snapshot | None, viewer: "Viewer | Literal['owner']" = "owner"
) -> dict:
    return {
        "link": link_summary(link, viewer),
        "snapshot": snapshot_summary(snapshot) if snapshot else None,
    }


def readable_html(snapshot: Snapshot) -> str:
    """The sanitized readable HTML (kept as a blob: rows hold no large bodies)."""
    artifact = next((a for a in snapshot.artifacts.all() if a.kind == "readable"), None)
    if artifact is None or artifact.status != "ok":
        return ""
    return artifact_bytes(artifact).decode("utf-8")


def tagged_snapshots(viewer: Viewer, name: str) -> QuerySet[Snapshot]:
    """Latest-first snapshots of links tagged `name` that the viewer may see: public ones by
    anyone with that tag name, and the viewer's own."""
    return (
        visible_snapshots(viewer)
        .filter(has_tag(name))
        .defer(*LONG_FIELDS)
        .select_related("link__owner__profile")
        .prefetch_related("link__tags")
        .order_by("-created_at", "-pk")
    )


def has_tag(name: str) -> Exists:
    """Snapshots whose link carries a tag named `name` (anyone's: tags are per person)."""
    return Exists(Link.tags.through.objects.filter(link_id=OuterRef("link_id"), tag__name=name))
