"""What a list row shows besides its title (lists: 最新快照, my links, tags, search, a person's
page): the site icon, a preview picture, an excerpt, the capture's status with its retry
hint; the card or compact view, remembered in a cookie; the row's status while it captures.

Pictures are the snapshot's own artifacts, served by the artifact view (its visibility
rules: a private snapshot's are 404 for others), on the archive origin when one is set.
Only raster types are linked (never an SVG from a capture); a row without one gets a
letter on a colour made from the site's name, drawn by CSS: no request to another origin.
"""

import zlib
from dataclasses import dataclass
from datetime import datetime
from typing import cast

from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from linkhome.archive.models import FINISHED, Artifact
from linkhome.lib.previews import is_raster_mime
from linkhome.links import queries
from linkhome.web import archive_origin

VIEW_COOKIE = "linkhome_list_view"
VIEWS = ("cards", "compact")
DEFAULT_VIEW = "cards"
VIEW_COOKIE_SECONDS = 365 * 24 * 3600
HUES = 12  # placeholder colours (.hue-0 … .hue-11 in cards.css)
PICTURE_ORDER = ("thumbnail", "preview")  # the browser's own view of the page first


@dataclass
class Card:
    snapshot_id: int
    status: str = ""
    attempts: int = 0
    retry_after: datetime | None = None
    excerpt: str = ""
    icon: str = ""  # the favicon's address, or "" for the letter placeholder
    picture: str = ""  # the preview's address, or "" for the placeholder
    kind: str = "page"  # page, image or pdf: which placeholder

    @property
    def unfinished(self) -> bool:
        return self.status not in FINISHED


def list_view(request: HttpRequest) -> str:
    chosen = request.COOKIES.get(VIEW_COOKIE, "")
    return chosen if chosen in VIEWS else DEFAULT_VIEW


def cards_for(request: HttpRequest, snapshot_ids: list[int]) -> dict[int, Card]:
    """A Card per snapshot id, in two queries for the whole page (links.queries)."""
    rows, pictures = queries.list_details(snapshot_ids)
    cards: dict[int, Card] = {}
    private: dict[int, bool] = {}
    for row in rows:
        cards[row["pk"]] = Card(
            snapshot_id=row["pk"],
            status=row["status"],
            attempts=row["attempts"],
            retry_after=row["retry_after"],
            excerpt=" ".join((row["excerpt"] or "").split()),
            kind=_kind(row["content_type"]),
        )
        private[row["pk"]] = row["visibility"] == "private"
    by_snapshot: dict[int, dict[str, Artifact]] = {}
    for artifact in pictures:
        if is_raster_mime(artifact.mime):  # an SVG icon or picture is never linked
            by_snapshot.setdefault(artifact.snapshot_id, {})[artifact.kind] = artifact
    for snapshot_id, found in by_snapshot.items():
        card = cards.get(snapshot_id)
        if card is None:
            continue
        href = _hrefs(request, private[snapshot_id])
        if "favicon" in found:
            card.icon = href(found["favicon"])
        shown = next((found[k] for k in PICTURE_ORDER if k in found), None)
        if shown is not None:
            card.picture = href(shown)
    return cards


def _hrefs(request: HttpRequest, private: bool):  # noqa: ANN202 - a small closure
    def href(artifact: Artifact) -> str:
        return archive_origin.artifact_href(request, artifact, private)

    return href


def _kind(content_type: str) -> str:
    mime = content_type.split(";", 1)[0].strip().lower()
    if mime == "application/pdf":
        return "pdf"
    if mime.startswith("image/"):
        return "image"
    return "page"


def attach(request: HttpRequest, items: object, snapshot_id_of: str = "pk") -> None:
    """Give each item of a page (snapshots, or links with `latest_id`) its `card`."""
    objects = list(cast(list, items))
    ids = [getattr(item, snapshot_id_of) for item in objects]
    cards = cards_for(request, ids)
    for item, snapshot_id in zip(objects, ids, strict=True):
        item.card = cards.get(snapshot_id)


def site_hue(host: str) -> int:
    return zlib.crc32(host.lower().removeprefix("www.").encode("utf-8")) % HUES


def site_letter(host: str) -> str:
    name = host.lower().removeprefix("www.")
    return (name[:1] or "?").upper()


@require_POST
def switch_view(request: HttpRequest) -> HttpResponse:
    """Cards or compact, remembered in a cookie; back to the list it was chosen on."""
    chosen = request.POST.get("view", "")
    back = request.POST.get("next", "")
    safe = url_has_allowed_host_and_scheme(
        back, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    )
    response = HttpResponseRedirect(back if safe and back.startswith("/") else "/")
    if chosen in VIEWS:
        response.set_cookie(
            VIEW_COOKIE, chosen, max_age=VIEW_COOKIE_SECONDS, samesite="Lax", httponly=True
        )
    return response


def row_status(request: HttpRequest, snapshot_id: int) -> HttpResponse:
    """A list row's status, polled by htmx while its capture is queued or running."""
    snapshot = queries.row_status(request.user, snapshot_id)
    if snapshot is None:  # private, deleted or mistyped: the same 404 for everyone else
        raise Http404("no such snapshot")
    card = Card(
        snapshot_id=snapshot.pk,
        status=snapshot.status,
        attempts=snapshot.attempts,
        retry_after=snapshot.retry_after,
    )
    return render(request, "web/_row_status.html", {"card": card})
