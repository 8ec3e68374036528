"""Home, adding a link, and the status page. Parse the request, call the services, render."""

from pathlib import Path

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.models import User
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from linkhome.accounts.signed_in import SignedInRequest
from linkhome.archive.health import health
from linkhome.archive.models import SnapshotStatus
from linkhome.lib.urls import InvalidUrl
from linkhome.links import queries, services
from linkhome.web import cards, errors
from linkhome.web.feeds import alternates
from linkhome.web.filters import LinkFilters, split_tags
from linkhome.web.paging import page_of
from linkhome.web.templatetags.linkhome_tags import health_labels, status_labels

FEED_SIZE = 30
# Signed in, the feed is a sidebar next to the person's list: short, so that 30 rows of the
# person's own fit the 150 KB page budget with room for ids of many digits.
FEED_BESIDE_MY_LINKS = 8
LINKS_PER_PAGE = 30
# LINKHOME_ADD_LIMIT_PER_MINUTE counts the last minute: a minute from now is always enough.
ADD_RETRY_AFTER_SECONDS = 60
FAVICON = Path(__file__).parent / "static" / "web" / "favicon.ico"  # the logo, 32 px


def home(request: HttpRequest) -> HttpResponse:
    signed_in = request.user.is_authenticated
    size = FEED_BESIDE_MY_LINKS if signed_in else FEED_SIZE
    context = {
        "feed": page_of(queries.public_feed(), request.GET.get("feed"), size),
        "feeds": alternates(request, "latest_feed"),
    }
    if request.user.is_authenticated:
        context.update(_my_links(request, request.user))
        cards.attach(request, context["mine"], "latest_id")
    cards.attach(request, context["feed"])
    return render(request, "web/home.html", context)


def _my_links(request: HttpRequest, owner: User) -> dict:
    filters = LinkFilters.from_query(request.GET)
    links = queries.owned_links(
        owner,
        filters.tags,
        status=filters.status,
        visibility=filters.visibility,
        health=filters.health,
        shelf=filters.shelf,
    )
    labels = status_labels()
    return {
        # Without JavaScript, "select all on this page" is a link that ticks every box.
        "select_all": request.GET.get("select") == "all",
        # Where bulk actions come back to: this page, boxes not ticked again.
        "list_path": _without_select(request),
        "mine": page_of(links, request.GET.get("page"), LINKS_PER_PAGE),
        "filters": filters,
        "status_choices": [(value, labels[value]) for value in SnapshotStatus.values],
        "health_choices": list(health_labels().items()),
    }


def _without_select(request: HttpRequest) -> str:
    query = request.GET.copy()
    query.pop("select", None)
    return f"{request.path}?{query.urlencode()}" if query else request.path


@login_required
@require_POST
def add(request: SignedInRequest) -> HttpResponse:
    tags = split_tags(request.POST.get("tags", ""))
    visibility = "private" if request.POST.get("private") else None
    # An unticked box says nothing: a link asked for a browser before keeps asking.
    browser = True if request.POST.get("browser") else None
    try:
        services.check_add_rate(request.user)
    except services.RateLimited as exc:
        return errors.too_many(request, services.explain(exc), ADD_RETRY_AFTER_SECONDS)
    try:
        added = services.add_link(
            request.user,
            request.POST.get("url", ""),
            tags=tags,
            visibility=visibility,
            browser=browser,
        )
    except (InvalidUrl, services.LinkError) as exc:
        reason = services.explain(exc)
        messages.error(request, _("This link cannot be added: %(reason)s") % {"reason": reason})
        return redirect("home")
    if added.credentials_removed:
        messages.warning(request, _(services.CREDENTIALS_REMOVED))
    snapshot = added.snapshot or queries.latest_snapshot(added.link)
    if not added.created:
        messages.info(request, _("You kept this link already; its tags were updated."))
    if snapshot is None:  # its snapshots were deleted meanwhile: no page to show
        return redirect("home")
    return redirect("snapshot", snapshot_id=snapshot.pk)


def status(request: HttpRequest) -> HttpResponse:
    return render(request, "web/status.html", {"health": health()})


@require_safe
def favicon(request: HttpRequest) -> HttpResponse:
    """/favicon.ico, which browsers ask for whatever the page says."""
    response = HttpResponse(FAVICON.read_bytes(), content_type="image/x-icon")
    response["Cache-Control"] = "public, max-age=86400"
    return response
