"""POST/GET /api/subscriptions, GET/DELETE /api/subscriptions/{id}, POST
/api/subscriptions/opml: the same services (imports.feeds) as the 订阅 page and `linkhome
subscribe` / `subscriptions` / `unsubscribe`. A subscription is its owner's alone: anyone
else's id is a 404."""

from typing import Literal

from ninja import Router, Schema, Status
from ninja.errors import HttpError
from pydantic import Field

from linkhome.accounts.signed_in import SignedInRequest
from linkhome.api.schemas import (
    COMMON_ERRORS,
    MAX_TAGS,
    MAX_URL_LENGTH,
    NO_NUL,
    NOT_FOUND,
    ErrorOut,
    ObjectId,
    TagName,
)
from linkhome.imports import feeds
from linkhome.imports.services import ImportRefused
from linkhome.links.services import LinkError, explain

router = Router(tags=["subscriptions"])


class SubscriptionIn(Schema):
    url: str = Field(min_length=1, max_length=MAX_URL_LENGTH, pattern=NO_NUL)
    tags: list[TagName] = Field(default=[], max_length=MAX_TAGS)
    # Of the links it adds; public when not given.
    visibility: Literal["public", "private"] | None = None


class EntryOut(Schema):
    url: str
    title: str
    outcome: str
    link: int | None
    reason: str
    seen_at: str


class SubscriptionOut(Schema):
    id: int
    url: str
    title: str
    tags: list[str]
    visibility: str
    created_at: str
    checked_at: str | None
    result: str
    result_text: str
    error_code: str
    error: str
    http_status: int | None
    failures: int
    next_check_at: str | None
    added: int
    merged: int
    refused: int
    latest: list[EntryOut]


class SubscriptionsOut(Schema):
    subscriptions: list[SubscriptionOut]


class OpmlOut(Schema):
    subscribed: list[SubscriptionOut]
    existing: list[int]
    refused: list[dict[str, str]]


OPML_UPLOAD = {
    "requestBody": {
        "required": True,
        "content": {
            "multipart/form-data": {
                "schema": {
                    "type": "object",
                    "required": ["file"],
                    "properties": {
                        "file": {"type": "string", "format": "binary"},
                        "tags": {"type": "array", "items": {"type": "string"}},
                        "visibility": {"type": "string", "enum": ["public", "private"]},
                    },
                }
            }
        },
    }
}


@router.post(
    "/subscriptions",
    response={200: SubscriptionOut, 201: SubscriptionOut, 400: ErrorOut} | COMMON_ERRORS,
)
def subscribe(request: SignedInRequest, body: SubscriptionIn):  # noqa: ANN201
    """Follow an RSS or Atom feed: the worker checks it at once, then every
    LINKHOME_FEED_POLL_SECONDS; its new entries become your links with these tags and this
    visibility. 200 with the subscription you had when you follow that feed already."""
    try:
        done = feeds.subscribe(request.user, body.url, tags=body.tags, visibility=body.visibility)
    except LinkError as exc:
        raise HttpError(400, explain(exc)) from exc
    return Status(201 if done.created else 200, feeds.summary(done.subscription))


@router.get("/subscriptions", response={200: SubscriptionsOut} | COMMON_ERRORS)
def subscriptions(request: SignedInRequest) -> dict:
    """Your subscriptions, each with its last check and the entries it added."""
    return {"subscriptions": [feeds.summary(s) for s in feeds.subscriptions_of(request.user)]}


@router.post(
    "/subscriptions/opml",
    response={201: OpmlOut, 400: ErrorOut} | COMMON_ERRORS,
    openapi_extra=OPML_UPLOAD,
)
def import_opml(request: SignedInRequest):  # noqa: ANN201
    """Follow every feed an OPML file lists (multipart `file`, optional `tags` and
    `visibility`); the folders a feed is in become tags. A file that is not OPML is 400."""
    upload = request.FILES.get("file")
    try:
        if upload is None:
            raise ImportRefused(feeds.NO_OPML)
        done = feeds.import_opml(
            request.user,
            upload,
            tags=request.POST.getlist("tags"),
            visibility=request.POST.get("visibility") or None,
        )
    except LinkError as exc:
        raise HttpError(400, explain(exc)) from exc
    return Status(
        201,
        {
            "subscribed": [feeds.summary(s) for s in done.subscribed],
            "existing": [s.pk for s in done.existing],
            "refused": [{"url": url, "reason": reason} for url, reason in done.refused],
        },
    )


@router.get(
    "/subscriptions/{subscription_id}", response={200: SubscriptionOut} | COMMON_ERRORS | NOT_FOUND
)
def subscription(request: SignedInRequest, subscription_id: ObjectId) -> dict:
    """One of your subscriptions."""
    try:
        return feeds.summary(feeds.get_subscription(request.user, subscription_id))
    except feeds.NoSuchSubscription as exc:
        raise HttpError(404, "no such subscription") from exc


@router.delete("/subscriptions/{subscription_id}", response={204: None} | COMMON_ERRORS | NOT_FOUND)
def unsubscribe(request: SignedInRequest, subscription_id: ObjectId):  # noqa: ANN201
    """Stop following the feed; the links it added stay yours."""
    try:
        feeds.unsubscribe(request.user, subscription_id)
    except feeds.NoSuchSubscription as exc:
        raise HttpError(404, "no such subscription") from exc
    return Status(204, None)
