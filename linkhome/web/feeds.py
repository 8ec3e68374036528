"""Atom and RSS 2.0 feeds: a thin adapter. Which items and what each carries is decided below
(links.feeds, search.feeds); this module writes them with feedgen and answers conditional
requests.

    /feeds/latest.atom|rss                 the public 最新快照 list (the home page)
    /people/<id>/feed.atom|rss             a person's public snapshots (their page)
    /tags/<name>/feed.atom|rss             public snapshots with that tag (the tag page)
    /search/feed.atom|rss?q=…              a search, as the public sees it (the results page)
    /feeds/private/<secret>.atom|rss       the owner's own links, private ones included

Every feed carries a strong ETag (the body's hash) and Last-Modified (its newest change);
If-None-Match and If-Modified-Since get 304 (Django's rules: If-None-Match wins).
"""

import hashlib
from collections.abc import Callable
from datetime import UTC, datetime

from django.contrib.auth.models import User
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.cache import get_conditional_response
from django.utils.html import escape
from django.utils.http import http_date, quote_etag
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe
from feedgen.feed import FeedGenerator

from linkhome.accounts import services as accounts
from linkhome.links import feeds
from linkhome.links.feeds import FeedItem
from linkhome.search.api import QueryError
from linkhome.search.feeds import search_items

ATOM, RSS = "atom", "rss"
CONTENT_TYPES = {
    ATOM: "application/atom+xml; charset=utf-8",
    RSS: "application/rss+xml; charset=utf-8",
}
# What Last-Modified says of a feed with no items: it never changed.
NEVER = datetime(1970, 1, 1, tzinfo=UTC)
# Characters XML 1.0 cannot carry (or discourages): a page's or a link's title may hold them.
xml_text = feeds.without_control_characters


@require_safe
def latest(request: HttpRequest, fmt: str) -> HttpResponse:
    title = _("link之家 · Latest snapshots")
    return _feed(request, fmt, title, reverse("home"), feeds.public_items())


@require_safe
def person(request: HttpRequest, user_id: int, fmt: str) -> HttpResponse:
    who = get_object_or_404(User.objects.select_related("profile"), pk=user_id, is_active=True)
    if not feeds.keeps_public(who):  # as the person's page: nothing public, no one there
        raise Http404("nothing public")
    title = _("link之家 · %(nickname)s's public links") % {"nickname": _nickname(who)}
    page = reverse("person", args=[who.pk])
    return _feed(request, fmt, title, page, feeds.person_items(who))


@require_safe
def tag(request: HttpRequest, name: str, fmt: str) -> HttpResponse:
    title = _("link之家 · Tag %(tag)s") % {"tag": name}
    return _feed(request, fmt, title, reverse("tag", args=[name]), feeds.tag_items(name))


@require_safe
def search(request: HttpRequest, fmt: str) -> HttpResponse:
    query = request.GET.get("q", "").strip()
    try:
        items = search_items(query) if query else []
    except QueryError as exc:
        return HttpResponseBadRequest(str(exc), content_type="text/plain; charset=utf-8")
    title = _("link之家 · Search: %(query)s") % {"query": query}
    page = reverse("search") + ("?" + request.GET.urlencode() if query else "")
    return _feed(request, fmt, title, page, items)


@require_safe
def private(request: HttpRequest, secret: str, fmt: str) -> HttpResponse:
    owner = accounts.owner_of_feed(secret)
    if owner is None:  # unknown or revoked: the same 404 as any missing page
        raise Http404("no such feed")
    title = _("link之家 · %(nickname)s's links (private feed)") % {"nickname": _nickname(owner)}
    response = _feed(request, fmt, title, reverse("home"), feeds.own_items(owner))
    # The owner's reader may keep it; no shared cache, no search engine, no Referer.
    response["Cache-Control"] = "private, no-cache"
    response["X-Robots-Tag"] = "noindex"
    response["Referrer-Policy"] = "no-referrer"
    return response


def alternates(
    request: HttpRequest, name: str, kwargs: dict | None = None, query: str = ""
) -> dict[str, str]:
    """The Atom and RSS addresses of a page's feed, for its <link rel="alternate">."""
    suffix = f"?{query}" if query else ""
    return {
        fmt: reverse(name, kwargs={**(kwargs or {}), "fmt": fmt}) + suffix for fmt in CONTENT_TYPES
    }


def _nickname(user: User) -> str:
    # Never the user name: that is what they sign in with.
    profile = getattr(user, "profile", None)
    return profile.nickname if profile else ""


def _feed(
    request: HttpRequest, fmt: str, title: str, page: str, items: list[FeedItem]
) -> HttpResponse:
    if fmt not in CONTENT_TYPES:
        raise Http404("no such feed format")
    changed = feeds.newest_change(items) or NEVER
    body = _write(request, fmt, xml_text(title), page, items, changed)
    etag = quote_etag(hashlib.sha256(body).hexdigest()[:32])
    response = HttpResponse(body, content_type=CONTENT_TYPES[fmt])
    response["ETag"] = etag
    response["Last-Modified"] = http_date(changed.timestamp())
    response["Cache-Control"] = "no-cache"  # may be kept, asked again each time (304s)
    conditional = get_conditional_response(
        request, etag=etag, last_modified=int(changed.timestamp()), response=response
    )
    return conditional if conditional is not None else response


def _write(
    request: HttpRequest,
    fmt: str,
    title: str,
    page: str,
    items: list[FeedItem],
    changed: datetime,
) -> bytes:
    absolute: Callable[[str], str] = request.build_absolute_uri
    self_url = absolute(request.get_full_path())
    fg = FeedGenerator()
    fg.load_extension("dc", atom=False, rss=True)  # the keeper of an RSS item: dc:creator
    fg.id(self_url)
    fg.title(title)
    fg.description(title)
    fg.link(href=self_url, rel="self")
    fg.link(href=absolute(page), rel="alternate")  # after self: RSS's <link> is the last
    fg.language(get_language() or "zh-hans")
    fg.generator("link之家")
    fg.updated(changed)
    fg.lastBuildDate(changed)  # not "now": the same items give the same bytes (ETag)
    for item in items:
        _add(fg, fmt, item, absolute(reverse("snapshot", args=[item.snapshot_id])))
    return fg.atom_str(pretty=True) if fmt == ATOM else fg.rss_str(pretty=True)


def _add(fg: FeedGenerator, fmt: str, item: FeedItem, url: str) -> None:
    entry = fg.add_entry(order="append")
    entry.id(url)  # the snapshot page: one address per snapshot, for good
    entry.guid(url, permalink=True)
    entry.title(xml_text(item.title))
    entry.link(href=url, rel="alternate")
    keeper = xml_text(item.keeper)
    if keeper:
        entry.author(name=keeper)
        entry.dc.dc_creator(keeper)
    for name in item.tags:
        clean = xml_text(name)
        if clean:
            entry.category(term=clean, label=clean)
    excerpt = xml_text(item.excerpt)
    if excerpt and fmt == ATOM:
        entry.summary(excerpt)  # a plain-text summary
    elif excerpt:
        entry.description(escape(excerpt), isSummary=True)  # RSS: the description is HTML
    # feedgen's pubDate is Atom's published: one date for each format.
    entry.updated(item.changed_at)
    entry.published(item.saved_at if fmt == ATOM else item.captured_at)
