"""Result rows: what a results page shows of each hit, loaded in two queries however many.

Flat values from plain SQL, not model instances: building twenty Snapshot, Link, User and
Profile objects and prefetching their tags cost more than the search itself (measured: 85 %
of a search at 2,000 documents; the ORM's query compilation alone was 3 ms of it).
"""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from re import Pattern

from django.db import connection

from linkhome.accounts.models import Profile
from linkhome.archive.models import Snapshot
from linkhome.lib.urls import display_url
from linkhome.links.models import Link, Tag
from linkhome.links.visibility import can_see
from linkhome.search import highlight
from linkhome.search.backends.base import Row, column, table


@dataclass(frozen=True)
class SearchHit:
    snapshot_id: int
    link_id: int
    title: str  # the title the person gave, else the page's own, else the address
    title_html: str  # escaped, hits in <mark>
    url: str
    site: str  # host without www.
    keeper: str  # the owner's nickname
    owner_id: int
    visibility: str
    tags: list[str]
    captured_at: datetime
    snippet: str  # escaped HTML from the page's own text, hits in <mark>
    score: float  # higher is better; comparable within one result list only

    def as_dict(self) -> dict:
        """The JSON shape of a hit (CLI --json, REST API)."""
        return {
            "snapshot_id": self.snapshot_id,
            "link_id": self.link_id,
            "title": self.title,
            "url": self.url,
            "site": self.site,
            "keeper": self.keeper,
            "tags": self.tags,
            "visibility": self.visibility,
            "captured_at": self.captured_at.isoformat(),
            "snippet": self.snippet,
            "title_html": self.title_html,
            "score": round(self.score, 6),
        }


@dataclass(frozen=True)
class _Values:
    snapshot_id: int
    created_at: datetime | str
    page_title: str
    text: str
    description: str
    link_id: int
    url: str
    link_title: str
    host: str
    visibility: str
    owner_id: int
    nickname: str | None


def load_hits(
    rows: Sequence[Row], pattern: Pattern | None, viewer_id: int | None
) -> list[SearchHit]:
    """The hits for ranked rows, in their order. A row whose snapshot is gone or belongs to
    another link (a stale index row) is dropped, and so is anything the viewer may not see:
    the SQL already asked, asking again costs nothing and a bug there cannot leak a page."""
    if not rows:
        return []
    found = {v.snapshot_id: v for v in _values([r.snapshot_id for r in rows])}
    wanted = [(r, found.get(r.snapshot_id)) for r in rows]
    kept = [(r, v) for r, v in wanted if v and v.link_id == r.link_id and _may_see(v, viewer_id)]
    tags = _tags([v.link_id for _, v in kept])
    return [_hit(v, r.score, tags.get(v.link_id, []), pattern) for r, v in kept]


def _may_see(v: _Values, viewer_id: int | None) -> bool:
    return can_see(viewer_id, v.owner_id, v.visibility)


def _values(snapshot_ids: list[int]) -> list[_Values]:
    marks = ", ".join(["%s"] * len(snapshot_ids))
    sql = (
        "SELECT s.id, s.created_at, s.title, s.text, s.description, l.id, l.url, l.title,"
        " l.host, l.visibility, l.owner_id, p.nickname"
        f" FROM {table(Snapshot)} s JOIN {table(Link)} l ON l.id = s.link_id"
        f" LEFT JOIN {table(Profile)} p ON p.user_id = l.owner_id WHERE s.id IN ({marks})"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, snapshot_ids)
        return [_Values(*row) for row in cursor.fetchall()]


def _tags(link_ids: list[int]) -> dict[int, list[str]]:
    if not link_ids:
        return {}
    through = Link.tags.through
    link_col, tag_col = column(through, "link"), column(through, "tag")
    marks = ", ".join(["%s"] * len(link_ids))
    sql = (
        f"SELECT lt.{link_col}, t.name FROM {table(through)} lt JOIN {table(Tag)} t"
        f" ON t.id = lt.{tag_col} WHERE lt.{link_col} IN ({marks}) ORDER BY t.name"
    )
    found: dict[int, list[str]] = {}
    with connection.cursor() as cursor:
        cursor.execute(sql, link_ids)
        for link_id, name in cursor.fetchall():
            found.setdefault(link_id, []).append(name)
    return found


def _hit(v: _Values, score: float, tags: list[str], pattern: Pattern | None) -> SearchHit:
    title = v.link_title or v.page_title or display_url(v.url)
    return SearchHit(
        snapshot_id=v.snapshot_id,
        link_id=v.link_id,
        title=title,
        title_html=highlight.mark_all(title, pattern),
        url=display_url(v.url),
        site=v.host,
        keeper=v.nickname or "",
        owner_id=v.owner_id,
        visibility=v.visibility,
        tags=tags,
        captured_at=_aware(v.created_at),
        snippet=highlight.snippet(v.text or v.description, pattern),
        score=score,
    )


def _aware(value: datetime | str) -> datetime:
    """SQLite hands back Django's UTC text; PostgreSQL an aware datetime."""
    moment = datetime.fromisoformat(value) if isinstance(value, str) else value
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)
