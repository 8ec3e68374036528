"""Tag pages: the signed-in person's tag cloud with rename/merge/delete, and one page per tag."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from linkhome.accounts.signed_in import SignedInRequest
from linkhome.links import queries, services, tags, watching
from linkhome.links.models import Tag
from linkhome.notify import preferences as notify_preferences
from linkhome.web import cards
from linkhome.web.feeds import alternates
from linkhome.web.links import WATCH_CHOICES
from linkhome.web.paging import page_of

PAGE_SIZE = 50
TAG_WATCH_CHOICES = [
    ("", gettext_lazy("Not set (each link's own, or my default)")),
    *WATCH_CHOICES[1:],
]


@login_required
def cloud(request: SignedInRequest) -> HttpResponse:
    return render(request, "web/tags.html", {"tags": tags.tag_counts(request.user)})


def tag_page(request: HttpRequest, name: str) -> HttpResponse:
    page = page_of(queries.tagged_snapshots(request.user, name), request.GET.get("page"), PAGE_SIZE)
    own = None
    if request.user.is_authenticated:  # the schedule form is for the person's own tag
        own = Tag.objects.filter(owner_id=request.user.pk, name=name).first()
    context = {
        "name": name,
        "page": page,
        "own_tag": own,
        "own_tag_notifies": own is not None and notify_preferences.tag_notifies(own),
        "watch_choices": TAG_WATCH_CHOICES,
        "feeds": alternates(request, "tag_feed", {"name": name}),
    }
    cards.attach(request, page)
    return render(request, "web/tag.html", context)


@login_required
@require_POST
def edit(request: SignedInRequest, name: str) -> HttpResponse:
    action, other = request.POST.get("action"), request.POST.get("other", "")
    try:
        if action == "rename":
            tags.rename_tag(request.user, name, other)
        elif action == "merge":
            tags.merge_tags(request.user, name, other)
        elif action == "delete":
            tags.delete_tag(request.user, name)
        elif action == "watch":
            tag = Tag.objects.filter(owner_id=request.user.pk, name=name).first()
            if tag is None:
                raise Http404("no such tag")
            watching.set_tag_every(tag, request.POST.get("watch_every", ""))
            return redirect("tag", name=name)
        elif action == "notify":
            tag = Tag.objects.filter(owner_id=request.user.pk, name=name).first()
            if tag is None:
                raise Http404("no such tag")
            notify_preferences.set_tag_notify(tag, request.POST.get("notify") == "on")
            return redirect("tag", name=name)
    except services.LinkError as exc:  # TagError, or the new name breaks the tag rules
        messages.error(request, services.explain(exc))
    return redirect("tags")
