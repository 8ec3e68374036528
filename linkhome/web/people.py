"""A person's page: their public snapshots (never a private one, to anyone, them included:
their own list is the home page), with the address of its feed. Someone with nothing public
has no page (404)."""

from django.contrib.auth.models import User
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render

from linkhome.links import feeds, queries
from linkhome.web import cards
from linkhome.web.feeds import alternates
from linkhome.web.paging import page_of

PAGE_SIZE = 30


def person_page(request: HttpRequest, user_id: int) -> HttpResponse:
    who = get_object_or_404(User.objects.select_related("profile"), pk=user_id, is_active=True)
    if not feeds.keeps_public(who):
        raise Http404("nothing public")
    snapshots = queries.public_feed().filter(link__owner=who)
    context = {
        "person": who,
        "page": page_of(snapshots, request.GET.get("page"), PAGE_SIZE),
        "feeds": alternates(request, "person_feed", {"user_id": who.pk}),
    }
    cards.attach(request, context["page"])
    return render(request, "web/person.html", context)
