"""Search: the one interface the web, the REST API, the CLI and recommendations call.

    index(link) / remove(link_id)      keep one link's document current (signals do this)
    search(viewer, "北京 tag:新闻")      a page of ranked, highlighted, visible results
    rebuild(progress)                  everything again (`linkhome reindex`)

For recommendations and tag suggestions, the term level:

    analyze(text)                      the index tokens of any text (segmented as indexed)
    document_tokens(link_id)           a link's indexed tokens by field, as stored
    documents(link_ids), indexed_link_ids()          the same for many, with snapshot ids
    document_frequencies(terms), document_count()    for TF-IDF against the whole index
    search_terms(viewer, {"北京": 2.5, "大学": 1.0}, limit=20, exclude_link_ids=[…])
                                       links ranked for weighted terms ("more like this")

A viewer sees public links and their own, never anyone else's private link; None or an
anonymous user sees public links only.
"""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser

from linkhome.links.models import Link
from linkhome.search import analyzers, highlight, indexing, matching, versioning
from linkhome.search.backends import backend
from linkhome.search.backends.base import Row
from linkhome.search.documents import Document
from linkhome.search.query import QueryError, parse
from linkhome.search.results import SearchHit, load_hits

__all__ = [
    "QueryError",
    "Ranked",
    "SearchHit",
    "SearchResults",
    "analyze",
    "document_count",
    "document_frequencies",
    "document_tokens",
    "documents",
    "indexed_link_ids",
    "index",
    "rebuild",
    "remove",
    "search",
    "search_terms",
]

DEFAULT_LIMIT = 20
MAX_LIMIT = 100
# Counting every match of a common word costs as much as ranking them; "1,000+" is as
# useful on a results page as the exact figure.
COUNT_LIMIT = 1000
Viewer = AbstractBaseUser | AnonymousUser | None
Ranked = Row  # link_id, snapshot_id, score: what search_terms returns


@dataclass(frozen=True)
class SearchResults:
    query: str
    hits: list[SearchHit]
    offset: int
    limit: int
    has_more: bool
    total: int | None  # exact up to COUNT_LIMIT; None when not counted (count=False)
    total_capped: bool = False  # there are more than `total` (COUNT_LIMIT) results


def search(
    viewer: Viewer, text: str, *, offset: int = 0, limit: int = DEFAULT_LIMIT, count: bool = True
) -> SearchResults:
    """One page of results, best first (newest first when the query is filters only).

    Raises QueryError for a query that cannot be run (a malformed date…). `total` counts up
    to COUNT_LIMIT (then total_capped is set) and costs a second query when there is more
    than one page; pass count=False when has_more is enough."""
    offset, limit = max(0, offset), min(max(1, limit), MAX_LIMIT)
    plan = matching.plan(parse(text))
    if plan.is_empty:
        return SearchResults(text, [], offset, limit, False, 0)
    versioning.ensure_current(rebuild, indexing.catch_up)
    viewer_id, engine = _viewer_id(viewer), backend()
    rows = engine.find(plan, viewer_id, offset, limit + 1)
    has_more = len(rows) > limit
    hits = load_hits(rows[:limit], highlight.compile_terms(plan.highlight), viewer_id)
    if not count:
        return SearchResults(text, hits, offset, limit, has_more, None)
    if not (has_more or offset):  # everything is on this page: no second query
        return SearchResults(text, hits, offset, limit, has_more, len(rows))
    counted = engine.count(plan, viewer_id, COUNT_LIMIT + 1)
    capped = counted > COUNT_LIMIT
    return SearchResults(text, hits, offset, limit, has_more, min(counted, COUNT_LIMIT), capped)


def _viewer_id(viewer: Viewer) -> int | None:
    return viewer.pk if viewer is not None and viewer.is_authenticated else None


def index(link: Link | int) -> bool:
    """(Re)index one link from its newest finished snapshot; False when it has none (and so
    is not in the index)."""
    return indexing.index_links([link if isinstance(link, int) else link.pk]) == 1


def remove(link_id: int) -> None:
    indexing.remove_links([link_id])


def rebuild(progress: indexing.Progress | None = None) -> int:
    """Analyse and index every link again; returns how many documents the index holds."""
    return indexing.rebuild(progress)


def analyze(text: str) -> list[str]:
    return analyzers.tokens(text)


def document_tokens(link_id: int) -> dict[str, list[str]] | None:
    """The link's tokens as indexed, by field (title, body, tags, site, url), in order."""
    stored = backend().stored([link_id]).get(link_id)
    return stored.field_tokens() if stored else None


def documents(link_ids: Sequence[int]) -> dict[int, Document]:
    """Many links' documents as indexed, in one query: the snapshot each was built from and
    its token fields (space-joined; Document.field_tokens() splits them). Links not in the
    index are absent."""
    return backend().stored(list(dict.fromkeys(link_ids))) if link_ids else {}


def indexed_link_ids() -> set[int]:
    return backend().link_ids()


def document_frequencies(terms: Sequence[str]) -> dict[str, int]:
    """How many indexed documents contain each term (in any field)."""
    return backend().document_frequencies(list(dict.fromkeys(terms)))


def document_count() -> int:
    return backend().document_count()


def search_terms(
    viewer: Viewer,
    weights: Mapping[str, float],
    *,
    limit: int = 10,
    exclude_link_ids: Sequence[int] = (),
) -> list[Ranked]:
    """Visible links that contain any of the terms, ranked by the backend's relevance with
    each term counted by its weight (SQLite: in four steps; PostgreSQL: exactly)."""
    versioning.ensure_current(rebuild, indexing.catch_up)
    return backend().rank_terms(weights, _viewer_id(viewer), limit, list(exclude_link_ids))
