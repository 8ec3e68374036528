"""Schedules through the API: a link's, a tag's and your own default (links.watching).

Only your own links and tags: another person's answers 404, as if it did not exist."""

from datetime import datetime

from django.shortcuts import get_object_or_404
from ninja import Router, Schema

from linkhome.accounts.signed_in import SignedInRequest
from linkhome.api.schemas import COMMON_ERRORS, NOT_FOUND, ErrorOut, ObjectId, TagPath, WatchEvery
from linkhome.links import queries, watching
from linkhome.links.models import Link, Tag

router = Router(tags=["watch"])


class WatchIn(Schema):
    watch_every: WatchEvery  # "" clears it: the link follows its tags, your default, the instance


class LinkWatchOut(Schema):
    link: int
    watch_every: WatchEvery  # the link's own choice ("" none)
    watch_effective: WatchEvery  # the schedule it follows
    watch_from: str  # where that comes from: link, tag, person or instance
    next_check_at: datetime | None  # null: not watched, or not scheduled yet


class TagWatchOut(Schema):
    tag: str
    watch_every: WatchEvery


class DefaultWatchOut(Schema):
    watch_default: WatchEvery  # yours, or the instance's LINKHOME_WATCH_DEFAULT


def _own_link(request: SignedInRequest, link_id: int) -> Link:
    links = queries.owned_links(request.user).prefetch_related("tags")
    return get_object_or_404(links, pk=link_id)


def _link_out(link: Link) -> dict:
    link = Link.objects.prefetch_related("tags").get(pk=link.pk)
    return {"link": link.pk, **watching.schedule_summary(link)}


@router.get("/links/{link_id}/watch", response={200: LinkWatchOut} | COMMON_ERRORS | NOT_FOUND)
def get_link_watch(request: SignedInRequest, link_id: ObjectId) -> dict:
    """Your link's schedule and when it is next checked."""
    return _link_out(_own_link(request, link_id))


@router.put(
    "/links/{link_id}/watch",
    response={200: LinkWatchOut, 400: ErrorOut} | COMMON_ERRORS | NOT_FOUND,
)
def set_link_watch(request: SignedInRequest, link_id: ObjectId, payload: WatchIn) -> dict:
    """Set how often your link is captured again."""
    link = _own_link(request, link_id)
    watching.set_link_every(link, payload.watch_every)
    return _link_out(link)


@router.put(
    "/tags/{name}/watch", response={200: TagWatchOut, 400: ErrorOut} | COMMON_ERRORS | NOT_FOUND
)
def set_tag_watch(request: SignedInRequest, name: TagPath, payload: WatchIn) -> dict:
    """Set the schedule of your links with this tag that name none of their own."""
    tag = get_object_or_404(Tag.objects.filter(owner_id=request.user.pk), name=name)
    watching.set_tag_every(tag, payload.watch_every)
    return {"tag": tag.name, "watch_every": tag.watch_every}


DEFAULT_ANSWERS: dict[int, type[Schema]] = {200: DefaultWatchOut, **COMMON_ERRORS}
DEFAULT_SET_ANSWERS: dict[int, type[Schema]] = {400: ErrorOut, **DEFAULT_ANSWERS}


@router.get("/watch/default", response=DEFAULT_ANSWERS)
def get_default_watch(request: SignedInRequest) -> dict:
    return {"watch_default": watching.default_every(request.user.pk)}


@router.put("/watch/default", response=DEFAULT_SET_ANSWERS)
def set_default_watch(request: SignedInRequest, payload: WatchIn) -> dict:
    """Your default schedule for links and tags that name none ("": the instance's)."""
    watching.set_default_every(request.user, payload.watch_every)
    return {"watch_default": watching.default_every(request.user.pk)}
