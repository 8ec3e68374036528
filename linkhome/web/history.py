"""A link over time on the web: the diff between two versions, Wayback-style addresses
(`/web/<timestamp>/<address>`, `/web/*/<address>`) and Memento's TimeGate and TimeMaps.
Thin: linkhome.history decides what a reader may see and what changed."""

from __future__ import annotations

from collections.abc import Callable

from django.core.handlers.wsgi import get_str_from_wsgi
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from linkhome.archive.models import Snapshot
from linkhome.history import memento
from linkhome.history.captures import (
    Address,
    calendar,
    captures,
    closest,
    neighbours,
    parse_address,
    parse_timestamp,
)
from linkhome.history.compare import (
    CompareError,
    compare_snapshots,
    screenshot_summary,
    summary,
)
from linkhome.history.textdiff import EQUAL, TextDiff
from linkhome.links import queries
from linkhome.links.services import explain
from linkhome.web.archive_origin import on_archive_origin

VIEWS = ("side", "inline")
# Unchanged paragraphs shown around each change; longer unchanged stretches fold.
CONTEXT_PARAGRAPHS = 1


@require_safe
def diff_page(request: HttpRequest, a: int, b: int) -> HttpResponse:
    """What changed from version `a` to version `b`: side by side or inline."""
    view = request.GET.get("view", "side")
    view = view if view in VIEWS else "side"
    try:
        comparison = compare_snapshots(request.user, a, b)
    except CompareError as exc:
        context: dict[str, object] = {"message": explain(exc)}
        return render(request, "web/diff_error.html", context, status=exc.status)
    diff = comparison.diff
    context = {
        "a": comparison.a,
        "b": comparison.b,
        "link": comparison.b.link,
        "diff": diff,
        "summary": summary(diff),
        "screenshot": screenshot_summary(comparison.screenshot) if comparison.screenshot else "",
        "rows": _rows(diff),
        "view": view,
        "versions": queries.snapshot_versions(comparison.b)[:50],
        "same_link": comparison.a.link_id == comparison.b.link_id,
    }
    return render(request, "web/diff.html", context)


def _rows(diff: TextDiff) -> list[dict]:
    """What the page shows, in order: unchanged paragraphs near a change, a fold for the
    longer unchanged stretches, and each change with its parts."""
    hunks = iter(diff.hunks)
    rows: list[dict] = []
    last = len(diff.blocks) - 1
    for index, (op, i1, i2, _j1, _j2) in enumerate(diff.blocks):
        if op != EQUAL:
            hunk = next(hunks)
            rows.append({"kind": "change", "hunk": hunk, "parts": hunk.parts})
            continue
        paras = diff.a_paragraphs[i1:i2]
        head = paras[:CONTEXT_PARAGRAPHS] if index > 0 else []
        tail = paras[-CONTEXT_PARAGRAPHS:] if index < last else []
        if len(head) + len(tail) >= len(paras):
            rows += [{"kind": "same", "text": text} for text in paras]
            continue
        rows += [{"kind": "same", "text": text} for text in head]
        rows.append({"kind": "fold", "count": len(paras) - len(head) - len(tail)})
        rows += [{"kind": "same", "text": text} for text in tail]
    return rows


@require_safe
def pick_diff(request: HttpRequest) -> HttpResponse:
    """The versions list's form: ?a=ID&b=ID to the diff page of those two."""
    try:
        a, b = int(request.GET.get("a", "")), int(request.GET.get("b", ""))
    except ValueError:
        raise Http404("choose two versions") from None
    if not (0 < a < 2**63 and 0 < b < 2**63):
        raise Http404("no such snapshot")
    return redirect("snapshot_diff", a=a, b=b)


# --- addresses over time -------------------------------------------------------------------


def _address(request: HttpRequest, raw: str) -> Address:
    """The original address of the path, its query string being the request's own."""
    # WSGI hands the query string over as bytes in latin-1; Django reads it as UTF-8.
    query = get_str_from_wsgi(request.META, "QUERY_STRING", "")
    address = parse_address(raw + (f"?{query}" if query else ""))
    if address is None:
        raise Http404("not a web address")
    return address


def _captures(request: HttpRequest, raw: str) -> tuple[Address, list[Snapshot]]:
    address = _address(request, raw)
    return address, captures(request.user, address)


def _none_found(request: HttpRequest, address: Address) -> HttpResponse:
    context = {"address": address, "message": _("No capture of this address that you may see.")}
    return render(request, "web/address_none.html", context, status=404)


def _memento_uri(request: HttpRequest) -> Callable[[Snapshot], str]:
    """A memento's URI: its snapshot page, absolute."""
    return lambda s: request.build_absolute_uri(reverse("snapshot", args=[s.pk]))


def _uris(request: HttpRequest, address: Address) -> dict[str, str]:
    def absolute(name: str) -> str:
        return request.build_absolute_uri(reverse(name, args=[address.url]))

    return {
        "timegate": absolute("timegate"),
        "link_format": absolute("timemap_link"),
        "json_format": absolute("timemap_json"),
    }


@require_safe
def wayback(request: HttpRequest, timestamp: str, address: str) -> HttpResponse:
    """/web/<1-14 digits>/<address>: to the capture nearest that moment the reader may see."""
    found_address, found = _captures(request, address)
    chosen = closest(found, parse_timestamp(timestamp))
    if chosen is None:
        return _none_found(request, found_address)
    return redirect("snapshot", snapshot_id=chosen.pk)


@require_safe
def address_calendar(request: HttpRequest, address: str) -> HttpResponse:
    """/web/*/<address>: every capture of it the reader may see, by year and month."""
    found_address, found = _captures(request, address)
    if not found:
        return _none_found(request, found_address)
    context = {
        "address": found_address,
        "years": calendar(found),
        "count": len(found),
        "first": found[0],
        "last": found[-1],
        "keepers": len({s.link.owner_id for s in found}),
        "uris": _uris(request, found_address),
    }
    return render(request, "web/address_calendar.html", context)


@require_safe
def timegate(request: HttpRequest, address: str) -> HttpResponse:
    """Memento TimeGate: a 302 to the memento nearest Accept-Datetime (the newest without
    one); 400 for an Accept-Datetime that is no HTTP date."""
    found_address, found = _captures(request, address)
    asked = request.headers.get("Accept-Datetime")
    moment = memento.parse_accept_datetime(asked) if asked else None
    if asked and moment is None:
        response = HttpResponse(_("Accept-Datetime is not an HTTP date."), status=400)
        response["Content-Type"] = "text/plain; charset=utf-8"
        response["Vary"] = "accept-datetime"
        return response
    chosen = closest(found, moment) if moment else (found[-1] if found else None)
    if chosen is None:
        response = _none_found(request, found_address)
        response["Vary"] = "accept-datetime"
        return response
    uri_of = _memento_uri(request)
    uris = _uris(request, found_address)
    response = redirect(uri_of(chosen))
    response["Vary"] = "accept-datetime"
    response["Link"] = memento.timegate_links(
        found_address.url, uris["link_format"], neighbours(found, chosen), uri_of
    )
    return response


@require_safe
def timemap_link(request: HttpRequest, address: str) -> HttpResponse:
    """Memento TimeMap, application/link-format: every memento the reader may see."""
    found_address, found = _captures(request, address)
    if not found:
        return _none_found(request, found_address)
    uris = _uris(request, found_address)
    body = memento.timemap_link_format(
        found_address.url, uris["timegate"], uris["link_format"], found, _memento_uri(request)
    )
    return HttpResponse(body, content_type=f"{memento.LINK_FORMAT}; charset=utf-8")


@require_safe
def timemap_json(request: HttpRequest, address: str) -> HttpResponse:
    """Memento TimeMap as JSON (the Memento aggregator's form)."""
    found_address, found = _captures(request, address)
    if not found:
        body = {"detail": _("No capture of this address that you may see.")}
        return JsonResponse(body, status=404, json_dumps_params={"ensure_ascii": False})
    uris = _uris(request, found_address)
    timemaps = {"link_format": uris["link_format"], "json_format": uris["json_format"]}
    body = memento.timemap_json(
        found_address.url, uris["timegate"], timemaps, found, _memento_uri(request)
    )
    return JsonResponse(body, json_dumps_params={"ensure_ascii": False})


def add_memento_headers(
    request: HttpRequest, response: HttpResponseBase, snapshot: Snapshot
) -> None:
    """Memento-Datetime and Link (original, TimeGate, TimeMap) on a memento: the snapshot
    page and the archived artifacts of a kept capture. On the archive origin, which serves
    nothing but artifacts, only the original is linked."""
    uri_for = None if on_archive_origin(request) else absolute_uri_for(request)
    for name, value in memento.memento_headers(snapshot, uri_for).items():
        response[name] = value


def absolute_uri_for(request: HttpRequest) -> Callable[[str, str], str]:
    """(view name, original address) -> that view's absolute URI on this origin."""
    return lambda name, address: request.build_absolute_uri(reverse(name, args=[address]))
