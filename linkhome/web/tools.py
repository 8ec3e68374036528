"""Saving from anywhere: the Tools page with the bookmarklet, the small add window that the
bookmarklet and the phone's share sheet open, and the web app manifest.

The bookmarklet only opens a window on LinkHome (`window.open`, or the same tab when a popup
is blocked) with the page's address and title in the query string: it never adds code to
the page it runs on, so a page whose Content-Security-Policy refuses every script is saved
like any other. The window is an ordinary LinkHome page behind sign-in; it adds the link
through links.services.add_link, as the header's add form does.
"""

import json
from dataclasses import asdict, dataclass

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.templatetags.static import static
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from linkhome.accounts.signed_in import SignedInRequest
from linkhome.lib.shared_text import shared_link
from linkhome.lib.urls import InvalidUrl
from linkhome.links import queries, services
from linkhome.recommend.suggestions import suggest_tags_for_url
from linkhome.web.filters import split_tags
from linkhome.web.views import ADD_RETRY_AFTER_SECONDS

WINDOW_NAME = "linkhome_add"  # one add window, reused by every click of the bookmarklet
WINDOW_FEATURES = "popup,width=520,height=640"
APP_NAME = "link之家"
THEME_COLOR = "#2563eb"  # the logo's blue (linkhome.css --accent)
BACKGROUND_COLOR = "#f7f8fa"  # the light theme's --bg


def bookmarklet(save_url: str) -> str:
    """The bookmarklet's `javascript:` address: opens the add window on `save_url` with the
    current page's address and title; where popups are blocked, goes there in the same tab.
    A `javascript:` address is percent-decoded before it runs, so a literal % is escaped."""
    code = (
        "(function(){"
        f"var u={json.dumps(save_url)}+'?url='+encodeURIComponent(location.href)"
        "+'&title='+encodeURIComponent(document.title);"
        f"var w=window.open(u,{json.dumps(WINDOW_NAME)},{json.dumps(WINDOW_FEATURES)});"
        "if(!w)location.href=u;"
        "})();"
    )
    return "javascript:" + code.replace("%", "%25")


@require_safe
def tools_page(request: HttpRequest) -> HttpResponse:
    save_url = request.build_absolute_uri(reverse("save"))
    context = {"bookmarklet": bookmarklet(save_url), "save_url": save_url}
    return render(request, "web/tools.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def save(request: SignedInRequest) -> HttpResponse:
    """GET: the add window, prefilled from the query string (the bookmarklet's `url` and
    `title`, or a share target's `title`, `text` and `url`). POST: add the link."""
    if request.method == "POST":
        return _save_posted(request)
    shared = shared_link(
        request.GET.get("url", ""), request.GET.get("title", ""), request.GET.get("text", "")
    )
    return _window(request, Fields(url=shared.url, title=shared.title))


@dataclass(frozen=True)
class Fields:
    """What the add window's form holds: shown again, as typed, when the add is refused."""

    url: str = ""
    title: str = ""
    tags: str = ""
    private: bool = False
    browser: bool = False

    @classmethod
    def posted(cls, request: HttpRequest) -> "Fields":
        return cls(
            url=request.POST.get("url", "").strip(),
            title=" ".join(request.POST.get("title", "").split()),
            tags=request.POST.get("tags", ""),
            private=bool(request.POST.get("private")),
            browser=bool(request.POST.get("browser")),
        )


def _save_posted(request: SignedInRequest) -> HttpResponse:
    given = Fields.posted(request)
    try:
        services.check_add_rate(request.user)
    except services.RateLimited as exc:
        response = _window(request, given, services.explain(exc), status=429)
        response["Retry-After"] = str(ADD_RETRY_AFTER_SECONDS)
        return response
    try:
        added = services.add_link(
            request.user,
            given.url,
            tags=split_tags(given.tags),
            visibility="private" if given.private else None,
            title=given.title,
            # As the add box: an unticked box keeps what the link asked for before.
            browser=True if given.browser else None,
        )
    except (InvalidUrl, services.LinkError) as exc:
        reason = services.explain(exc)
        error = _("This link cannot be added: %(reason)s") % {"reason": reason}
        return _window(request, given, error, status=400)
    if added.credentials_removed:
        messages.warning(request, _(services.CREDENTIALS_REMOVED))
    if not added.created:
        messages.info(request, _("You kept this link already; its tags were updated."))
    return redirect("saved", link_id=added.link.pk)


def _window(
    request: SignedInRequest, given: Fields, error: str = "", status: int = 200
) -> HttpResponse:
    context = {
        **asdict(given),
        "error": error,
        "tag_options": suggest_tags_for_url(request.user, given.url),
    }
    return render(request, "web/save.html", context, status=status)


@login_required
@require_safe
def saved(request: SignedInRequest, link_id: int) -> HttpResponse:
    """What the add window shows once the link is kept: the owner's own link only."""
    link = queries.owned_links(request.user).filter(pk=link_id).first()
    if link is None:  # someone else's link, private or not, is not theirs to see here
        raise Http404("no such link")
    context = {"link": link, "snapshot": queries.latest_snapshot(link)}
    return render(request, "web/saved.html", context)


@require_safe
def manifest(request: HttpRequest) -> JsonResponse:
    """The web app manifest: installable as an app, and a Web Share Target whose shares
    land in the add window (GET /save/?title=…&text=…&url=…)."""
    data = {
        "id": "/",
        "name": APP_NAME,
        "short_name": APP_NAME,
        "description": _("Paste a web page link, get a snapshot"),
        "lang": get_language(),
        "start_url": reverse("home"),
        "scope": "/",
        "display": "standalone",
        "theme_color": THEME_COLOR,
        "background_color": BACKGROUND_COLOR,
        "icons": [
            {"src": static("web/icon-192.png"), "sizes": "192x192", "type": "image/png"},
            {"src": static("web/icon-512.png"), "sizes": "512x512", "type": "image/png"},
            {"src": static("web/logo.svg"), "sizes": "any", "type": "image/svg+xml"},
        ],
        "share_target": {
            "action": reverse("save"),
            "method": "GET",
            # GET sends the fields in the query string; Chromium warns when enctype is missing.
            "enctype": "application/x-www-form-urlencoded",
            "params": {"title": "title", "text": "text", "url": "url"},
        },
    }
    response = JsonResponse(
        data, content_type="application/manifest+json", json_dumps_params={"ensure_ascii": False}
    )
    response["Cache-Control"] = "public, max-age=3600"
    return response
