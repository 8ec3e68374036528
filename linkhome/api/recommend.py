"""GET /api/snapshots/{id}/related and /tag-suggestions: the same recommend functions as the
web and the CLI. A private snapshot answers 404 to everyone but its owner."""

from datetime import datetime

from django.http import HttpRequest
from ninja import Router, Schema
from ninja.errors import HttpError

from linkhome.api.schemas import ErrorOut
from linkhome.capture.models import Snapshot
from linkhome.links import queries
from linkhome.recommend.related import related_summaries
from linkhome.recommend.suggestions import suggest_tags

MAX_LIMIT = 50


class RelatedOut(Schema):
    snapshot_id: int
    link_id: int
    title: str
    url: str
    site: str
    nickname: str
    captured_at: datetime
    score: float


class TagSuggestionsOut(Schema):
    snapshot_id: int
    tags: list[str]


router = Router(tags=["recommendations"])


@router.get("/{snapshot_id}/related", response={200: list[RelatedOut], 404: ErrorOut})
def related(request: HttpRequest, snapshot_id: int, limit: int = 8):  # noqa: ANN201
    """Related snapshots (相关文章推荐), best first: public ones and your own."""
    snapshot = _snapshot(request, snapshot_id)
    return related_summaries(request.user, snapshot, max(1, min(limit, MAX_LIMIT)))


@router.get("/{snapshot_id}/tag-suggestions", response={200: TagSuggestionsOut, 404: ErrorOut})
def tag_suggestions(request: HttpRequest, snapshot_id: int, limit: int = 5):  # noqa: ANN201
    """Tags for this page from its keywords, your existing tags and common ones first."""
    snapshot = _snapshot(request, snapshot_id)
    tags = suggest_tags(request.user, snapshot, max(1, min(limit, MAX_LIMIT)))
    return {"snapshot_id": snapshot.pk, "tags": tags}


def _snapshot(request: HttpRequest, snapshot_id: int) -> Snapshot:
    snapshot = queries.get_snapshot(request.user, snapshot_id)
    if snapshot is None:
        raise HttpError(404, f"no snapshot {snapshot_id}")
    return snapshot
