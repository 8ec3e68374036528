"""Web views: parse the request, call the services, render. No business logic here."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from linkhome.capture.health import health
from linkhome.capture.serving import artifact_response
from linkhome.lib.urls import InvalidUrl
from linkhome.links import queries, services
from linkhome.web.links import split_tags

FEED_SIZE = 50


def home(request: HttpRequest) -> HttpResponse:
    snapshots = (
        queries.visible_snapshots(request.user)
        .select_related("link__owner__profile")
        .order_by("-created_at")[:FEED_SIZE]
    )
    return render(request, "web/home.html", {"snapshots": snapshots, "health": health()})


@login_required
@require_POST
def add(request: HttpRequest) -> HttpResponse:
    tags = split_tags(request.POST.get("tags", ""))
    visibility = "private" if request.POST.get("private") else None
    try:
        services.check_add_rate(request.user)
        added = services.add_link(
            request.user, request.POST.get("url", ""), tags=tags, visibility=visibility
        )
    except (InvalidUrl, services.LinkError) as exc:
        messages.error(request, str(exc))
        return redirect("home")
    return redirect("snapshot", snapshot_id=added.snapshot.pk)


def snapshot_page(request: HttpRequest, snapshot_id: int) -> HttpResponse:
    snapshot = queries.get_snapshot(request.user, snapshot_id)
    if snapshot is None:
        raise Http404("no such snapshot")
    context = {
        "snapshot": snapshot,
        "link": snapshot.link,
        "readable": queries.readable_html(snapshot),
    }
    return render(request, "web/snapshot.html", context)


def artifact(request: HttpRequest, snapshot_id: int, kind: str) -> HttpResponse:
    snapshot = queries.get_snapshot(request.user, snapshot_id)
    found = snapshot and next((a for a in snapshot.artifacts.all() if a.kind == kind), None)
    if not found:
        raise Http404("no such artifact")
    try:
        return artifact_response(found)
    except FileNotFoundError as exc:
        raise Http404(str(exc)) from exc


def status(request: HttpRequest) -> HttpResponse:
    return render(request, "web/status.html", {"health": health()})
