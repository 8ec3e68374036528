"""GET /api/snapshots/{a}/diff/{b}: what changed from one snapshot to another, the same
comparison as the diff page and `linkhome diff` (linkhome.history.compare)."""

from typing import Literal

from django.http import HttpRequest
from ninja import Router, Schema
from ninja.errors import HttpError

from linkhome.api.schemas import COMMON_ERRORS, NOT_FOUND, ErrorOut, ObjectId
from linkhome.history.compare import CompareError, compare_snapshots
from linkhome.links.services import explain


class DiffPartOut(Schema):
    op: Literal["equal", "delete", "insert"]
    text: str


class DiffHunkOut(Schema):
    op: Literal["insert", "delete", "replace"]
    a_paragraphs: list[int]  # [start, end) of A's paragraphs, 0-based
    b_paragraphs: list[int]
    removed_chars: int
    added_chars: int
    detail: Literal["words", "paragraphs"]
    parts: list[DiffPartOut]


class ScreenshotDiffOut(Schema):
    changed: bool  # the screenshots differ visibly (linkhome.lib.screenshot_diff)
    ratio: float  # share of the page's 10-pixel cells that differ, 0 to 1


class DiffOut(Schema):
    a: int
    b: int
    changed: bool
    ratio: float  # share of the text changed, 0 to 1
    added: int  # paragraphs of B new or edited
    removed: int  # paragraphs of A gone or edited
    hunks: list[DiffHunkOut]
    # Only when both snapshots have a screenshot (browser mode); left out otherwise.
    screenshot: ScreenshotDiffOut | None = None


router = Router(tags=["history"])


@router.get(
    "/{a}/diff/{b}",
    response={200: DiffOut, 400: ErrorOut, 409: ErrorOut} | COMMON_ERRORS | NOT_FOUND,
    exclude_none=True,  # "screenshot" only when both snapshots have one, as `linkhome diff`
)
def snapshot_diff(request: HttpRequest, a: ObjectId, b: ObjectId) -> dict:
    """What changed in the main text from snapshot `a` to snapshot `b`: two versions of one
    link, or two captures of the same address by different keepers, both visible to you.
    400: different addresses; 409: one is not captured yet or failed; 404: no such snapshot
    (a private one of someone else's included)."""
    try:
        return compare_snapshots(request.user, a, b).as_dict()
    except CompareError as exc:
        raise HttpError(exc.status, explain(exc)) from exc
