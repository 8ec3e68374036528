"""Notifications through the API: a link's and a tag's opt-in, and your notifications.

Only your own links and tags: another person's answers 404, as if it did not exist."""

from datetime import datetime
from typing import Literal

from django.shortcuts import get_object_or_404
from ninja import Router, Schema

from linkhome.accounts.signed_in import SignedInRequest
from linkhome.api.schemas import COMMON_ERRORS, NOT_FOUND, ErrorOut, ObjectId, TagPath, bounded
from linkhome.links import queries
from linkhome.links.models import Link, Tag
from linkhome.notify import delivery, preferences
from linkhome.notify.models import Notification

router = Router(tags=["notifications"])


class LinkNotifyIn(Schema):
    notify: bool | None  # null: the link follows its tags again


class LinkNotifyOut(Schema):
    link: int
    notify: bool | None  # the link's own choice (null: none)
    notify_effective: bool  # whether its changes and deaths are notified
    notify_from: Literal["link", "tag", "none"]


class TagNotifyIn(Schema):
    notify: bool


class TagNotifyOut(Schema):
    tag: str
    notify: bool


class NotificationLinkOut(Schema):
    id: int
    url: str
    title: str


class NotificationOut(Schema):
    id: int
    kind: Literal["changed", "gone", "moved"]
    created_at: datetime
    link: NotificationLinkOut
    snapshot: int
    compared_with: int | None
    change_ratio: float | None
    change_added: int | None
    change_removed: int | None
    http_status: int | None
    detail: str
    snapshot_url: str
    diff_url: str | None


class NotificationsOut(Schema):
    notifications: list[NotificationOut]


def _own_link(request: SignedInRequest, link_id: int) -> Link:
    return get_object_or_404(queries.owned_links(request.user), pk=link_id)


def _link_out(link: Link) -> dict:
    return {"link": link.pk, **preferences.summary(link)}


@router.get("/links/{link_id}/notify", response={200: LinkNotifyOut} | COMMON_ERRORS | NOT_FOUND)
def get_link_notify(request: SignedInRequest, link_id: ObjectId) -> dict:
    """Whether your link's changes and deaths are notified, and why."""
    return _link_out(_own_link(request, link_id))


# 400: a body that is not JSON (django-ninja's answer), as for every PUT.
@router.put(
    "/links/{link_id}/notify",
    response={200: LinkNotifyOut, 400: ErrorOut} | COMMON_ERRORS | NOT_FOUND,
)
def set_link_notify(request: SignedInRequest, link_id: ObjectId, payload: LinkNotifyIn) -> dict:
    """Be told (true) or not (false) when your link changes or dies; null follows its tags."""
    link = _own_link(request, link_id)
    preferences.set_link_notify(link, payload.notify)
    return _link_out(link)


@router.put(
    "/tags/{name}/notify", response={200: TagNotifyOut, 400: ErrorOut} | COMMON_ERRORS | NOT_FOUND
)
def set_tag_notify(request: SignedInRequest, name: TagPath, payload: TagNotifyIn) -> dict:
    """Be told when your links with this tag change or die (those with no choice of their own)."""
    tag = get_object_or_404(Tag.objects.filter(owner_id=request.user.pk), name=name)
    preferences.set_tag_notify(tag, payload.notify)
    return {"tag": tag.name, "notify": preferences.tag_notifies(tag)}


@router.get("/notifications", response={200: NotificationsOut} | COMMON_ERRORS)
def list_notifications(request: SignedInRequest, limit: int = bounded(50, 1, 100)) -> dict:
    """Your newest notifications (your own links only), newest first."""
    events = Notification.objects.filter(owner_id=request.user.pk).order_by("-created_at", "-pk")
    return {"notifications": [delivery.event_summary(e) for e in events[:limit]]}
