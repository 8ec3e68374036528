"""GET /api/snapshots/{id}/related and /tag-suggestions: the same recommend functions as the
web and the CLI. A private snapshot answers 404 to everyone but its owner."""

from datetime import datetime

from django.http import HttpRequest
from ninja import Router, Schema
from ninja.errors import HttpError

from linkhome.accounts.signed_in import SignedInRequest
from linkhome.api.schemas import COMMON_ERRORS, NOT_FOUND, ObjectId, bounded
from linkhome.archive.models import Snapshot
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
ERRORS = COMMON_ERRORS | NOT_FOUND


@router.get("/{snapshot_id}/related", response={200: list[RelatedOut]} | ERRORS)
def related(
    request: HttpRequest,
    snapshot_id: ObjectId,
    limit: int = bounded(8, 1, MAX_LIMIT),
) -> list[dict]:
    """Related public snapshots (相关文章推荐), best first: the same list for everyone;
    never a private snapshot, not even its owner's."""
    snapshot = _snapshot(request, snapshot_id)
    return related_summaries(snapshot, limit)


@router.get("/{snapshot_id}/tag-suggestions", response={200: TagSuggestionsOut} | ERRORS)
def tag_suggestions(
    request: SignedInRequest,
    snapshot_id: ObjectId,
    limit: int = bounded(5, 1, MAX_LIMIT),
) -> dict:
    """Tags for this page from its keywords, your existing tags and common ones first."""
    snapshot = _snapshot(request, snapshot_id)
    tags = suggest_tags(request.user, snapshot, limit)
    return {"snapshot_id": snapshot.pk, "tags": tags}


def _snapshot(request: HttpRequest, snapshot_id: int) -> Snapshot:
    snapshot = queries.get_snapshot(request.user, snapshot_id)
    if snapshot is None:
        raise HttpError(404, f"no snapshot {snapshot_id}")
    return snapshot
