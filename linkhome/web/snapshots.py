"""The snapshot page, its live status, and its artifacts. Private means 404 for others."""

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from linkhome.capture.models import FINISHED, Snapshot
from linkhome.capture.serving import artifact_response
from linkhome.links import queries
from linkhome.recommend.related import related_snapshots
from linkhome.web.links import suggested_tags

VERSIONS_SHOWN = 20


def _visible(request: HttpRequest, snapshot_id: int) -> Snapshot:
    snapshot = queries.get_snapshot(request.user, snapshot_id)
    if snapshot is None:  # 404, not 403: a private snapshot does not exist for others
        raise Http404("no such snapshot")
    return snapshot


def _is_owner(request: HttpRequest, snapshot: Snapshot) -> bool:
    return request.user.is_authenticated and snapshot.link.owner_id == request.user.pk


def snapshot_page(request: HttpRequest, snapshot_id: int) -> HttpResponse:
    snapshot = _visible(request, snapshot_id)
    is_owner = _is_owner(request, snapshot)
    context = {
        "snapshot": snapshot,
        "link": snapshot.link,
        "is_owner": is_owner,
        "suggestions": suggested_tags(request.user, snapshot) if is_owner else [],
        "readable": queries.readable_html(snapshot),
        "versions": queries.snapshot_versions(snapshot)[:VERSIONS_SHOWN],
        "related": related_snapshots(request.user, snapshot),
        "artifacts": [a for a in snapshot.artifacts.all() if a.kind != "favicon"],
    }
    return render(request, "web/snapshot.html", context)


def snapshot_status(request: HttpRequest, snapshot_id: int) -> HttpResponse:
    """The status box alone, polled by htmx while a capture is queued or running. When it
    finishes, the whole page reloads once to show the content that now exists."""
    snapshot = _visible(request, snapshot_id)
    context = {"snapshot": snapshot, "is_owner": _is_owner(request, snapshot)}
    response = render(request, "web/_snapshot_status.html", context)
    if request.headers.get("HX-Request") and snapshot.status in FINISHED:
        response["HX-Refresh"] = "true"
    return response


def artifact(request: HttpRequest, snapshot_id: int, kind: str) -> HttpResponse:
    snapshot = _visible(request, snapshot_id)
    found = next((a for a in snapshot.artifacts.all() if a.kind == kind), None)
    if not found:
        raise Http404("no such artifact")
    try:
        return artifact_response(found)
    except FileNotFoundError as exc:
        raise Http404(str(exc)) from exc
