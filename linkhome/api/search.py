"""GET /api/search: the same search() as the web and the CLI.

Signed-in (bearer token or session) people search their own links and public ones; without
credentials, public ones only. A token that is given but wrong is still a 401: a client
with a typo in its token must not silently get the anonymous view.
"""

from datetime import datetime
from typing import Annotated

from django.http import HttpRequest
from ninja import Query, Router, Schema
from ninja.errors import HttpError

from linkhome.api.auth import API_AUTH
from linkhome.api.schemas import COMMON_ERRORS, MAX_QUERY_LENGTH, NO_NUL, ErrorOut, bounded
from linkhome.search import api as search_api
from linkhome.search.highlight import strip_marks


class Anonymous:
    """Auth marker for a request that brought no credentials at all."""

    def __bool__(self) -> bool:
        return True


def no_credentials(request: HttpRequest) -> Anonymous | None:
    return None if "authorization" in request.headers else Anonymous()


class SearchHitOut(Schema):
    snapshot_id: int
    link_id: int
    title: str
    url: str
    site: str
    keeper: str
    tags: list[str]
    visibility: str
    captured_at: datetime
    snippet: str  # HTML: the page's text escaped, the hits in <mark>…</mark>
    snippet_text: str
    title_html: str
    score: float


class SearchOut(Schema):
    query: str
    total: int | None  # exact up to 1,000; then total_capped
    total_capped: bool
    offset: int
    limit: int
    has_more: bool
    results: list[SearchHitOut]


router = Router(tags=["search"])


MAX_OFFSET = 10_000


@router.get(
    "",
    response={200: SearchOut, 400: ErrorOut} | COMMON_ERRORS,
    auth=[*API_AUTH, no_credentials],
)
def search(
    request: HttpRequest,
    q: Annotated[str, Query(max_length=MAX_QUERY_LENGTH, pattern=NO_NUL)] = "",
    offset: int = bounded(0, 0, MAX_OFFSET),
    limit: int = bounded(search_api.DEFAULT_LIMIT, 1, search_api.MAX_LIMIT),
) -> dict:
    """Ranked results with highlighted snippets; `q` takes the query language of the search
    box (words, "phrases", -excluded, tag:, site:, before:/after:, is:mine)."""
    try:
        results = search_api.search(request.user, q, offset=offset, limit=limit)
    except search_api.QueryError as exc:
        raise HttpError(400, str(exc)) from exc
    return {
        "query": results.query,
        "total": results.total,
        "total_capped": results.total_capped,
        "offset": results.offset,
        "limit": results.limit,
        "has_more": results.has_more,
        "results": [_hit(hit) for hit in results.hits],
    }


def _hit(hit: search_api.SearchHit) -> dict:
    return hit.as_dict() | {"snippet_text": strip_marks(hit.snippet)}
