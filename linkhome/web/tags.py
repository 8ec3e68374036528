"""Tag pages: the signed-in person's tag cloud with rename/merge/delete, and one page per tag."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
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


UNDO_KEY = "tag_undo"  # session: the token of the last delete or merge, shown once


@login_required
def cloud(request: SignedInRequest) -> HttpResponse:
    undo = request.session.pop(UNDO_KEY, None)
    return render(request, "web/tags.html", {"tags": tags.tag_counts(request.user), "undo": undo})


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
            try:
                renamed = tags.rename_tag(request.user, name, other)
            except tags.NameTaken as taken:
                return _confirm(request, "merge", name, str(taken.params["name"]))
            messages.success(
                request, _("Tag %(old)s renamed to %(new)s.") % {"old": name, "new": renamed.name}
            )
        elif action == "merge":
            return _confirm(request, "merge", name, tags.own_tag(request.user, other).name)
        elif action == "merge-confirmed":
            done = tags.merge_tags(request.user, name, other)
            message = ngettext(
                "Tag %(old)s merged into %(new)s (%(count)d link).",
                "Tag %(old)s merged into %(new)s (%(count)d links).",
                done.links,
            )
            messages.success(request, message % {"old": name, "new": other, "count": done.links})
            request.session[UNDO_KEY] = done.undo
        elif action == "delete":
            return _confirm(request, "delete", name, "")
        elif action == "delete-confirmed":
            done = tags.delete_tag(request.user, name)
            message = ngettext(
                "Tag %(name)s deleted; the %(count)d link it was on stays.",
                "Tag %(name)s deleted; the %(count)d links it was on stay.",
                done.links,
            )
            messages.success(request, message % {"name": name, "count": done.links})
            request.session[UNDO_KEY] = done.undo
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


def _confirm(request: SignedInRequest, kind: str, name: str, other: str) -> HttpResponse:
    """Ask before a delete or a merge: nothing changes until the person says yes."""
    tag = tags.own_tag(request.user, name)
    context = {"kind": kind, "name": tag.name, "other": other, "uses": tag.links.count()}
    return render(request, "web/tag_confirm.html", context)


@login_required
@require_POST
def undo(request: SignedInRequest) -> HttpResponse:
    """Put back a deleted tag, or undo a merge, from the token the tags page showed."""
    try:
        undone = tags.undo(request.user, request.POST.get("token", ""))
    except services.LinkError as exc:
        messages.error(request, services.explain(exc))
    else:
        message = ngettext(
            "Undone: tag %(name)s is back on %(count)d link.",
            "Undone: tag %(name)s is back on %(count)d links.",
            undone.links,
        )
        messages.success(request, message % {"name": undone.name, "count": undone.links})
    return redirect("tags")
