"""REST API handlers: parse, call the same services as the CLI and the web, shape the answer."""

from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.translation import gettext
from ninja import NinjaAPI, Status
from ninja.errors import HttpError

from linkhome.accounts import throttle
from linkhome.accounts.signed_in import SignedInRequest
from linkhome.api.auth import API_AUTH, SignInThrottled
from linkhome.api.exports import router as exports_router
from linkhome.api.history import router as history_router
from linkhome.api.imports import router as imports_router
from linkhome.api.marks import BULK_RESPONSES, bulk_action
from linkhome.api.marks import router as marks_router
from linkhome.api.notify import router as notify_router
from linkhome.api.recommend import router as recommend_router
from linkhome.api.schemas import (
    COMMON_ERRORS,
    DOWNLOAD_200,
    NOT_FOUND,
    ArtifactOut,
    ErrorOut,
    HealthState,
    LinkIn,
    LinkOut,
    LinkWithSnapshotOut,
    ObjectId,
    SnapshotOut,
    TagQuery,
)
from linkhome.api.search import router as search_router
from linkhome.api.subscriptions import router as subscriptions_router
from linkhome.api.watch import router as watch_router
from linkhome.archive.serving import artifact_response
from linkhome.history.memento import memento_headers
from linkhome.lib.urls import InvalidUrl
from linkhome.links import queries, services, states, watching
from linkhome.links.deletion import LinkBusy, delete_link
from linkhome.links.models import Link
from linkhome.notify import preferences as notify_preferences

api = NinjaAPI(title="LinkHome API", version="1", auth=API_AUTH, urls_namespace="api")
api.add_router("/search", search_router)
api.add_router("/snapshots", recommend_router)
api.add_router("/snapshots", history_router)
api.add_router("", exports_router)
api.add_router("", imports_router)
api.add_router("", subscriptions_router)
api.add_router("", watch_router)
api.add_router("", marks_router)
api.add_router("", notify_router)


# LINKHOME_ADD_LIMIT_PER_MINUTE counts the last minute: a minute from now is always enough.
ADD_RETRY_AFTER_SECONDS = 60


@api.exception_handler(services.RateLimited)
def rate_limited(request: HttpRequest, exc: Exception) -> HttpResponse:
    response = api.create_response(request, {"detail": services.explain(exc)}, status=429)
    response["Retry-After"] = str(ADD_RETRY_AFTER_SECONDS)
    return response


@api.exception_handler(SignInThrottled)
def throttled(request: HttpRequest, exc: Exception) -> HttpResponse:
    seconds = throttle.retry_after_seconds()
    body = {"detail": throttle.lockout_message(seconds)}
    response = api.create_response(request, body, status=429)
    response["Retry-After"] = str(seconds)
    return response


@api.exception_handler(LinkBusy)
def busy(request: HttpRequest, exc: Exception) -> HttpResponse:
    return api.create_response(request, {"detail": services.explain(exc)}, status=409)


@api.exception_handler(InvalidUrl)
@api.exception_handler(services.LinkError)
def bad_input(request: HttpRequest, exc: Exception) -> HttpResponse:
    return api.create_response(request, {"detail": services.explain(exc)}, status=400)


@api.post(
    "/links",
    response={201: LinkWithSnapshotOut, 200: LinkWithSnapshotOut, 400: ErrorOut}
    | COMMON_ERRORS
    | {403: ErrorOut},
)
def create_link(request: SignedInRequest, payload: LinkIn):  # noqa: ANN201
    services.check_add_rate(request.user)
    added = services.add_link(
        request.user,
        payload.url,
        tags=payload.tags,
        visibility=payload.visibility,
        title=payload.title,
        note=payload.note,
        recapture=payload.recapture,
        browser=payload.browser,
    )
    if payload.watch_every is not None:
        watching.set_link_every(added.link, payload.watch_every)
    marks = {"read": payload.read, "starred": payload.starred, "archived": payload.archived}
    if any(value is not None for value in marks.values()):
        states.set_link_states(added.link, **marks)
    if "notify" in payload.model_fields_set:
        notify_preferences.set_link_notify(added.link, payload.notify)
    body = queries.link_with_snapshot(added.link, added.snapshot)
    if added.credentials_removed:
        body["warnings"] = [gettext(services.CREDENTIALS_REMOVED)]
    return Status(201 if added.created else 200, body)


@api.get("/links", response={200: list[LinkOut]} | COMMON_ERRORS)
def list_links(  # noqa: ANN201
    request: SignedInRequest,
    tag: TagQuery = [],  # noqa: B006
    health: HealthState | None = None,
    read: bool | None = None,
    starred: bool | None = None,
    archived: bool | None = None,
):
    """Your links, newest first, archived ones included; `tag` (repeatable), `health` (what
    the newest check found) and your marks (`read`, `starred`, `archived`: true or false)
    filter them."""
    marks = {"read": read, "starred": starred, "archived": archived}
    given = {name: value for name, value in marks.items() if value is not None}
    links = queries.owned_links(request.user, tag, health=health or "", marks=given)
    return [queries.link_summary(link) for link in links[:500]]


# Before /links/{link_id}: its pattern would take "bulk" for an id (and answer 405).
api.post("/links/bulk", response=BULK_RESPONSES, tags=["links"])(bulk_action)


@api.get("/links/{link_id}", response={200: LinkWithSnapshotOut} | COMMON_ERRORS | NOT_FOUND)
def get_link(request: HttpRequest, link_id: ObjectId):  # noqa: ANN201
    link = get_object_or_404(queries.visible_links(request.user), pk=link_id)
    return queries.link_with_snapshot(link, queries.latest_snapshot(link), request.user)


@api.delete(
    "/links/{link_id}",
    response={204: None, 403: ErrorOut, 409: ErrorOut} | COMMON_ERRORS | NOT_FOUND,
)
def remove_link(request: SignedInRequest, link_id: ObjectId):  # noqa: ANN201
    """Delete your link with its snapshots; 409 while it is being captured."""
    # Only your own links: another person's answers 404, as if it did not exist.
    link = get_object_or_404(queries.owned_links(request.user), pk=link_id)
    try:
        delete_link(link)
    except Link.DoesNotExist as exc:  # deleted meanwhile, say by a double click
        raise HttpError(404, f"no link {link_id}") from exc
    return Status(204, None)


@api.get("/snapshots/{snapshot_id}", response={200: SnapshotOut} | COMMON_ERRORS | NOT_FOUND)
def get_snapshot(request: HttpRequest, snapshot_id: ObjectId):  # noqa: ANN201
    return queries.snapshot_summary(_snapshot(request, snapshot_id))


@api.get(
    "/snapshots/{snapshot_id}/artifacts",
    response={200: list[ArtifactOut]} | COMMON_ERRORS | NOT_FOUND,
)
def list_artifacts(request: HttpRequest, snapshot_id: ObjectId):  # noqa: ANN201
    return [queries.artifact_summary(a) for a in _snapshot(request, snapshot_id).artifacts.all()]


@api.get(
    "/snapshots/{snapshot_id}/artifacts/{kind}",
    response=COMMON_ERRORS | NOT_FOUND,
    openapi_extra=DOWNLOAD_200,
)
def download_artifact(request: HttpRequest, snapshot_id: ObjectId, kind: str) -> HttpResponseBase:
    snapshot = _snapshot(request, snapshot_id)
    artifact = next((a for a in snapshot.artifacts.all() if a.kind == kind), None)
    if artifact is None:
        raise HttpError(404, f"snapshot {snapshot_id} has no {kind} artifact")
    try:
        response = artifact_response(artifact)
    except FileNotFoundError as exc:
        raise HttpError(404, str(exc)) from exc

    # Archived bytes are a memento: say when, and of what (TimeGate and TimeMap on the web).
    def uri_for(name: str, address: str) -> str:
        return request.build_absolute_uri(reverse(name, args=[address]))

    for name, value in memento_headers(snapshot, uri_for).items():
        response[name] = value
    return response


def _snapshot(request: HttpRequest, snapshot_id: int):  # noqa: ANN202
    snapshot = queries.get_snapshot(request.user, snapshot_id)
    if snapshot is None:
        raise HttpError(404, f"no snapshot {snapshot_id}")
    return snapshot
