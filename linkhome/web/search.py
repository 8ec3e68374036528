"""The search results page: the query language in, one page of highlighted hits out."""

from urllib.parse import urlencode

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from linkhome.search.api import QueryError, search
from linkhome.web import cards
from linkhome.web.feeds import alternates
from linkhome.web.paging import page_number

RESULTS_PER_PAGE = 20


def search_page(request: HttpRequest) -> HttpResponse:
    query = request.GET.get("q", "").strip()
    page = page_number(request.GET.get("page"))
    context = {"query": query, "page_number": page, "results": None, "error": "", "feeds": None}
    if query:
        try:
            offset = (page - 1) * RESULTS_PER_PAGE
            results = search(request.user, query, offset=offset, limit=RESULTS_PER_PAGE)
            context["results"] = results
            found = cards.cards_for(request, [hit.snapshot_id for hit in results.hits])
            context["rows"] = [(hit, found.get(hit.snapshot_id)) for hit in results.hits]
            # The feed is the public's view of the query: never the reader's private links.
            context["feeds"] = alternates(request, "search_feed", query=urlencode({"q": query}))
        except QueryError as exc:
            context["error"] = str(exc)
    return render(request, "web/search.html", context)
