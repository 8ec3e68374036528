"""The snapshot page, its live status, and its artifacts. Private means 404 for others."""

from typing import cast

from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.auth.models import AnonymousUser, User
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST, require_safe

from linkhome.archive.models import FINISHED, Artifact, ArtifactStatus, Snapshot
from linkhome.archive.serving import Delivery, artifact_response
from linkhome.history.compare import screenshot_summary, since_previous, summary
from linkhome.links import queries, states
from linkhome.recommend.related import related_snapshots
from linkhome.web import archive_origin
from linkhome.web.history import add_memento_headers
from linkhome.web.links import suggested_tags

VERSIONS_SHOWN = 20
ARCHIVED_VIEW_KINDS = ("single_file", "dom")  # self-contained first: it needs no network
# The reading view's typography (reading.js, reading.css): each setting's choices, the
# first the default. Kept in one cookie the server reads, so the page is painted in the
# reader's choice from the start and the settings form works without JavaScript too.
READING_COOKIE = "linkhome-reading"
READING_COOKIE_SECONDS = 365 * 24 * 3600
READING_CHOICES = {
    "size": ("m", "s", "l", "xl"),
    "width": ("m", "narrow", "wide"),
    "font": ("sans", "serif"),
    "theme": ("site", "light", "sepia", "dark"),  # site: follows the site's light/dark switch
}


def _visible(request: HttpRequest, snapshot_id: int) -> Snapshot:
    return _visible_to(request.user, snapshot_id)


def _visible_to(viewer: AbstractBaseUser | AnonymousUser, snapshot_id: int) -> Snapshot:
    snapshot = queries.get_snapshot(viewer, snapshot_id)
    if snapshot is None:  # 404, not 403: a private snapshot does not exist for others
        raise Http404("no such snapshot")
    return snapshot


def _is_owner(request: HttpRequest, snapshot: Snapshot) -> bool:
    return request.user.is_authenticated and snapshot.link.owner_id == request.user.pk


def snapshot_page(request: HttpRequest, snapshot_id: int) -> HttpResponse:
    snapshot = _visible(request, snapshot_id)
    is_owner = _is_owner(request, snapshot)
    if is_owner:  # the owner opening the page reads it (links.states)
        states.mark_read_on_open(snapshot.link, request.user.pk)
    context = {
        "snapshot": snapshot,
        "link": snapshot.link,
        "is_owner": is_owner,
        # The owner is signed in (_is_owner), so request.user is a User.
        "suggestions": suggested_tags(cast(User, request.user), snapshot) if is_owner else [],
        "readable": queries.readable_html(snapshot),
        "related": related_snapshots(snapshot),
        "since_previous": _since_previous(snapshot),
        "dead": _dead(snapshot),
        # 保存到我的链接 for a signed-in reader of someone else's (so public) snapshot.
        "can_save": request.user.is_authenticated and not is_owner,
        "reading": reading_settings(request),
        "reading_choices": READING_CHOICES,
        **_versions(snapshot),
        **_artifact_links(request, snapshot),
    }
    response = render(request, "web/snapshot.html", context)
    add_memento_headers(request, response, snapshot)
    return response


def _dead(snapshot: Snapshot) -> dict | None:
    """When the link's newest check found the original gone: the date of that check, and
    either this snapshot (a page kept from before) or the last one kept before it died."""
    link = snapshot.link
    if link.health != "gone" or link.health_checked_at is None:
        return None
    kept = snapshot.status in queries.KEPT_STATUSES and snapshot.health != "gone"
    if kept:
        return {"checked": link.health_checked_at, "shown": snapshot}
    return {"checked": link.health_checked_at, "shown": None, "last_good": queries.last_good(link)}


def _since_previous(snapshot: Snapshot) -> dict | None:
    found = since_previous(snapshot)
    if found is None:
        return None
    seen = found.screenshot
    return {
        "previous": found.previous,
        "summary": summary(found.diff),
        "screenshot": screenshot_summary(seen) if seen is not None else "",
    }


def _versions(snapshot: Snapshot) -> dict:
    """The link's versions, and the two the compare form starts with: this one (B) and the
    kept one before it (A), else the kept one after it."""
    versions = list(queries.snapshot_versions(snapshot)[:VERSIONS_SHOWN])
    kept = [v.pk for v in versions if v.status in queries.KEPT_STATUSES]
    other = [pk for pk in kept if pk != snapshot.pk]
    index = kept.index(snapshot.pk) if snapshot.pk in kept else len(kept)
    older = [pk for pk in kept[index + 1 :]]
    return {
        "versions": versions,
        "kept_statuses": queries.KEPT_STATUSES,
        "compare_a": older[0] if older else (other[0] if other else None),
        "compare_b": snapshot.pk,
    }


def _artifact_links(request: HttpRequest, snapshot: Snapshot) -> dict:
    """Each artifact with its address (maybe on the archive origin), and the one shown in
    the page's sandboxed frame: the single file, else the rendered DOM."""
    private = snapshot.link.is_private
    shown = [a for a in snapshot.artifacts.all() if a.kind != "favicon"]
    hrefs = {a.kind: archive_origin.artifact_href(request, a, private) for a in shown}
    usable = {a.kind for a in shown if a.status == ArtifactStatus.OK}
    framed = next((k for k in ARCHIVED_VIEW_KINDS if k in usable), None)
    document = next((a for a in shown if a.kind == "document" and a.status == "ok"), None)
    mime = document.mime.split(";", 1)[0].strip().lower() if document else ""
    return {
        "artifacts": [(a, hrefs[a.kind]) for a in shown],
        "archived_view": hrefs[framed] if framed else "",
        # An image snapshot is shown as the image: an <img> runs no script, whatever it holds.
        "image_href": hrefs["document"] if mime.startswith("image/") else "",
        "pdf_href": hrefs["document"] if mime == "application/pdf" else "",
        # its first pages drawn at capture (capture/steps/document.py), shown as an image
        "pages_href": hrefs["pages"] if "pages" in usable else "",
    }


def reading_settings(request: HttpRequest) -> dict[str, str]:
    """The reader's typography from the cookie; anything unknown is the default."""
    given = request.COOKIES.get(READING_COOKIE, "").split(".")
    chosen = {}
    for index, (name, choices) in enumerate(READING_CHOICES.items()):
        value = given[index] if index < len(given) else ""
        chosen[name] = value if value in choices else choices[0]
    return chosen


@require_POST
def save_reading_settings(request: HttpRequest) -> HttpResponse:
    """The settings form without JavaScript: remembers the choice, back to the page."""
    chosen = []
    for name, choices in READING_CHOICES.items():
        value = request.POST.get(name, "")
        chosen.append(value if value in choices else choices[0])
    target = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
        target = "/"
    response = redirect(target)
    response.set_cookie(
        READING_COOKIE,
        ".".join(chosen),
        max_age=READING_COOKIE_SECONDS,
        samesite="Lax",
        secure=request.is_secure(),
        httponly=False,  # reading.js writes the same cookie when a setting changes
    )
    return response


def snapshot_status(request: HttpRequest, snapshot_id: int) -> HttpResponse:
    """The status box alone, polled by htmx while a capture is queued or running. When it
    finishes, the whole page reloads once to show the content that now exists."""
    snapshot = _visible(request, snapshot_id)
    context = {"snapshot": snapshot, "is_owner": _is_owner(request, snapshot)}
    response = render(request, "web/_snapshot_status.html", context)
    if request.headers.get("HX-Request") and snapshot.status in FINISHED:
        response["HX-Refresh"] = "true"
    return response


@require_safe
def artifact(request: HttpRequest, snapshot_id: int, kind: str) -> HttpResponseBase:
    """An artifact, sandboxed (capture.serving); on the archive origin when one is set."""
    on_archive = archive_origin.on_archive_origin(request)
    viewer = archive_origin.viewer_on_archive(request) if on_archive else request.user
    found = _artifact_of(_visible_to(viewer, snapshot_id), kind)
    if on_archive and not archive_origin.signature_fits(request, found):
        raise Http404("no such artifact")
    private = found.snapshot.link.is_private
    if archive_origin.must_redirect(request):
        return redirect(archive_origin.artifact_href(request, found, private))
    delivery = Delivery(view=True, private=private, framed_by="*" if on_archive else "'self'")
    try:
        response = artifact_response(found, delivery, request)
    except FileNotFoundError as exc:
        raise Http404(str(exc)) from exc
    add_memento_headers(request, response, found.snapshot)
    return response


def _artifact_of(snapshot: Snapshot, kind: str) -> Artifact:
    found = next((a for a in snapshot.artifacts.all() if a.kind == kind), None)
    if found is None:
        raise Http404("no such artifact")
    return found
