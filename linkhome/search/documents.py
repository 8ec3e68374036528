"""What is indexed: one document per link, built from its newest finished snapshot.

Per link, not per snapshot: a results page lists pages a person kept, and three captures of
the same page would otherwise fill it with the same row three times (and make the older,
superseded text findable as if it were current). A link's document follows its newest
snapshot that succeeded (or partly succeeded): a failed recapture leaves the last good text
searchable. A link with no finished capture yet is not in the index.
"""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from urllib.parse import urlsplit

from django.db.models import OuterRef, Subquery

from linkhome.archive.models import Snapshot, SnapshotStatus
from linkhome.lib.urls import display_url
from linkhome.links.models import Link
from linkhome.search.analyzers import index_text

INDEXED_STATUSES = (SnapshotStatus.SUCCEEDED, SnapshotStatus.PARTIAL)
# jieba cuts about 150k characters a second: past this a 1,000-page PDF would hold its worker
# (and every tag edit) for a minute, and the first 300k characters find it anyway.
MAX_TEXT_CHARS = 300_000
FIELDS = ("title", "body", "tags", "site", "url")


@dataclass(frozen=True)
class Document:
    """A link's searchable fields, each already analysed into space-joined tokens."""

    link_id: int
    snapshot_id: int
    title: str
    body: str
    tags: str
    site: str
    url: str

    def field_tokens(self) -> dict[str, list[str]]:
        return {name: getattr(self, name).split() for name in FIELDS}


def build(link: Link, snapshot: Snapshot, *, previous: Document | None = None) -> Document:
    """Analyse a link and its snapshot. The body (long: the expensive part) is reused from
    `previous` when that came from the same snapshot, so tag and title edits stay cheap."""
    if previous is not None and previous.snapshot_id == snapshot.pk:
        body = previous.body
    else:
        body = index_text((snapshot.text or snapshot.description)[:MAX_TEXT_CHARS])
    return Document(
        link_id=link.pk,
        snapshot_id=snapshot.pk,
        title=index_text(" ".join(dict.fromkeys([link.title, snapshot.title]))),
        body=body,
        tags=index_text(" ".join(tag.name for tag in link.tags.all())),
        site=index_text(f"{link.host} {snapshot.site_name}"),
        url=index_text(url_words(link.url)),
    )


def url_words(url: str) -> str:
    """The address without its scheme ("https" would match every page) and without a user
    name or password (a search must not find a link by someone's password)."""
    parts = urlsplit(display_url(url))
    return f"{parts.netloc}{parts.path} {parts.query}".strip()


def newest_indexable() -> Subquery:
    """For annotating links: the id of the snapshot their document is built from."""
    newest = Snapshot.objects.filter(link=OuterRef("pk"), status__in=INDEXED_STATUSES)
    return Subquery(newest.order_by("-created_at", "-pk").values("pk")[:1])


def sources(link_ids: Iterable[int]) -> list[tuple[Link, Snapshot | None]]:
    """Each link with the snapshot its document comes from, in three queries however many."""
    links = list(
        Link.objects.filter(pk__in=list(link_ids))
        .annotate(indexed_snapshot=newest_indexable())
        .prefetch_related("tags")
    )
    snapshot_ids = [link.indexed_snapshot for link in links if link.indexed_snapshot]
    snapshots = Snapshot.objects.in_bulk(snapshot_ids)
    return [(link, snapshots.get(link.indexed_snapshot)) for link in links]


def newest_snapshot_ids(link_ids: Sequence[int]) -> dict[int, int]:
    """link id → the snapshot its document should come from, for links that have one."""
    links = Link.objects.filter(pk__in=list(link_ids)).annotate(indexed_snapshot=newest_indexable())
    pairs = links.filter(indexed_snapshot__isnull=False).values_list("pk", "indexed_snapshot")
    return dict(pairs)


def finished_since(since: datetime) -> list[int]:
    """The links with a capture that finished (succeeded or partial) since then."""
    finished = Snapshot.objects.filter(status__in=INDEXED_STATUSES, finished_at__gte=since)
    return sorted(set(finished.values_list("link_id", flat=True)))


def indexable_link_ids() -> list[int]:
    """Every link that has a document (for a rebuild), oldest first."""
    links = Link.objects.annotate(indexed_snapshot=newest_indexable())
    return list(
        links.filter(indexed_snapshot__isnull=False).order_by("pk").values_list("pk", flat=True)
    )


def from_row(row: tuple) -> Document:
    """A stored document from a (link_id, snapshot_id, title, body, tags, site, url) row."""
    return Document(*row)
