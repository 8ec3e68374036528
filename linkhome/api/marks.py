"""Bulk actions on your links and 保存到我的链接 through the API (links.bulk, links.saving).

Bulk actions touch only your own links: other ids are left alone and counted in `ignored`.
Saving a snapshot you may not see (someone else's private link) answers 404, as everywhere.
"""

from typing import Annotated, Literal

from django.utils.translation import gettext
from ninja import Router, Schema, Status
from ninja.errors import HttpError
from pydantic import Field

from linkhome.accounts.signed_in import SignedInRequest
from linkhome.api.schemas import (
    COMMON_ERRORS,
    MAX_ID,
    MAX_TAGS,
    NOT_FOUND,
    ErrorOut,
    LinkWithSnapshotOut,
    ObjectId,
    TagName,
)
from linkhome.links import bulk, queries, saving, services, states

router = Router(tags=["links"])

BulkAction = Literal[
    "read",
    "unread",
    "star",
    "unstar",
    "archive",
    "unarchive",
    "public",
    "private",
    "tag",
    "untag",
    "delete",
]
LinkId = Annotated[int, Field(ge=1, le=MAX_ID)]


class BulkIn(Schema):
    ids: list[LinkId] = Field(min_length=1, max_length=bulk.MAX_BULK)
    action: BulkAction
    tags: list[TagName] = Field(default=[], max_length=MAX_TAGS)  # for tag and untag


class BulkOut(Schema):
    action: str
    changed: int  # your links the action changed (deleted, for delete)
    found: int  # your links among the ids
    ignored: int  # ids that are not your links: left alone
    busy: list[int]  # delete only: being captured right now, not deleted


class SaveIn(Schema):
    tags: list[TagName] = Field(default=[], max_length=MAX_TAGS)
    visibility: Literal["public", "private"] = "public"


class SavedOut(LinkWithSnapshotOut):
    shared: bool  # the snapshot became your link's own, with no second capture
    capture_queued: bool


# Registered by api.routes before /links/{link_id}, whose pattern would take "bulk" first.
BULK_RESPONSES = {200: BulkOut, 400: ErrorOut} | COMMON_ERRORS


def bulk_action(request: SignedInRequest, payload: BulkIn):  # noqa: ANN201
    """Act on many of your links at once: mark, make public or private, tag or untag
    (`tags`), delete. 400 when tag or untag comes without tags."""
    user, ids, action = request.user, payload.ids, payload.action
    if action in states.MARK_ACTIONS:
        result = bulk.mark(user, ids, **states.MARK_ACTIONS[action])
    elif action in ("public", "private"):
        result = bulk.set_visibility(user, ids, action)
    elif action in ("tag", "untag"):
        if not payload.tags:
            raise HttpError(400, gettext("give the tags to add or remove"))
        act = bulk.add_tags if action == "tag" else bulk.remove_tags
        result = act(user, ids, payload.tags)
    else:
        result = bulk.delete(user, ids)
    return {
        "action": action,
        "changed": result.changed,
        "found": result.found,
        "ignored": result.ignored,
        "busy": result.busy,
    }


@router.post(
    "/snapshots/{snapshot_id}/save",
    response={201: SavedOut, 200: SavedOut, 400: ErrorOut} | COMMON_ERRORS | NOT_FOUND,
)
def save_to_mine(request: SignedInRequest, snapshot_id: ObjectId, payload: SaveIn):  # noqa: ANN201
    """保存到我的链接: someone else's snapshot becomes your own link (201), with your tags
    and visibility, sharing the capture when it is fresh (`shared`), else queueing one
    (`capture_queued`); 200 when you kept the address already (its tags merged); 404 for
    a snapshot you may not see; 400 for one of your own."""
    services.check_add_rate(request.user)
    try:
        saved = saving.save_to_mine(
            request.user, snapshot_id, tags=payload.tags, visibility=payload.visibility
        )
    except saving.NoSuchSnapshot as exc:
        raise HttpError(404, f"no snapshot {snapshot_id}") from exc
    body = queries.link_with_snapshot(saved.link, saved.snapshot)
    body.update(shared=saved.shared, capture_queued=saved.capture_queued)
    return Status(201 if saved.created else 200, body)
