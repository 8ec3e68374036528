"""Editing, tagging, capturing again and deleting links: owner only; others get 404."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.models import User
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from linkhome.accounts.signed_in import SignedInRequest
from linkhome.archive.models import Snapshot, SnapshotStatus
from linkhome.links import bulk, deletion, queries, services, watching
from linkhome.links.models import Link, Visibility
from linkhome.notify import preferences as notify_preferences
from linkhome.recommend.suggestions import suggest_tags, suggest_tags_for_url
from linkhome.web.filters import split_tags
from linkhome.web.ids import object_id

CAPTURED = (SnapshotStatus.SUCCEEDED, SnapshotStatus.PARTIAL)


WATCH_CHOICES = [
    ("", gettext_lazy("As its tags or my default say")),
    ("never", gettext_lazy("Never")),
    ("daily", gettext_lazy("Daily")),
    ("weekly", gettext_lazy("Weekly")),
    ("monthly", gettext_lazy("Monthly")),
]
NOTIFY_CHOICES = [
    ("", gettext_lazy("As its tags say")),
    ("on", gettext_lazy("Yes")),
    ("off", gettext_lazy("No")),
]
NOTIFY_VALUES = {"": None, "on": True, "off": False}


class LinkForm(forms.Form):
    title = forms.CharField(label=gettext_lazy("Title"), max_length=500, required=False)
    note = forms.CharField(label=gettext_lazy("Note"), widget=forms.Textarea, required=False)
    tags = forms.CharField(
        label=gettext_lazy("Tags"), required=False, help_text=gettext_lazy("comma separated")
    )
    visibility = forms.ChoiceField(
        label=gettext_lazy("Visibility"),
        choices=[
            (Visibility.PUBLIC, gettext_lazy("Public")),
            (Visibility.PRIVATE, gettext_lazy("Private")),
        ],
    )
    watch_every = forms.ChoiceField(
        label=gettext_lazy("Check the original page again"),
        choices=WATCH_CHOICES,
        required=False,
        help_text=gettext_lazy(
            "captured again on this schedule, to see whether it changed or is gone"
        ),
    )
    notify = forms.ChoiceField(
        label=gettext_lazy("Tell me when it changes or dies"),
        choices=NOTIFY_CHOICES,
        required=False,
        help_text=gettext_lazy("in your feed, by webhook and by email (see Notifications)"),
    )


def _owned(request: SignedInRequest, link_id: int) -> Link:
    link = queries.owned_links(request.user).filter(pk=link_id).first()
    if link is None:  # 404, not 403: another person's link does not exist for you
        raise Http404("no such link")
    return link


@login_required
def edit(request: SignedInRequest, link_id: int) -> HttpResponse:
    link = _owned(request, link_id)
    form = LinkForm(request.POST or None, initial=_initial(link))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.edit_link(
                link,
                title=data["title"],
                note=data["note"],
                tags=split_tags(data["tags"]),
                visibility=data["visibility"],
            )
            watching.set_link_every(link, data["watch_every"])
            notify_preferences.set_link_notify(link, NOTIFY_VALUES[data["notify"] or ""])
        except services.LinkError as exc:
            form.add_error("tags", services.explain(exc))
        else:
            return _to_latest(link)
    schedule = watching.schedule_summary(link)
    context = {"form": form, "link": link, "schedule": schedule}
    return render(request, "web/link_edit.html", context)


def _initial(link: Link) -> dict:
    return {
        "title": link.title,
        "note": link.note,
        "visibility": link.visibility,
        "tags": ", ".join(t.name for t in link.tags.all()),
        "watch_every": link.watch_every,
        "notify": {None: "", True: "on", False: "off"}[notify_preferences.link_choice(link)],
    }


@login_required
@require_POST
def edit_tags(request: SignedInRequest, link_id: int) -> HttpResponse:
    """Replace a link's tags from the snapshot page: htmx swaps the tag box in place;
    without JavaScript the form posts and the page reloads."""
    link = _owned(request, link_id)
    error = ""
    try:
        services.set_tags(link, _wanted_tags(request, link))
    except services.LinkError as exc:
        error = services.explain(exc)
    if not request.headers.get("HX-Request"):
        if error:
            messages.error(request, error)
        return _to_latest(link)
    link = _owned(request, link_id)  # fresh tags, not the prefetched ones
    context = {"link": link, "is_owner": True, "error": error}
    context["suggestions"] = suggested_tags(request.user, queries.latest_snapshot(link))
    return render(request, "web/_link_tags.html", context)


def _wanted_tags(request: HttpRequest, link: Link) -> list[str]:
    """`add` (one click on a suggestion) adds a tag; `tags` replaces the whole list."""
    if "add" in request.POST:
        return [*services.link_tag_names(link), request.POST["add"]]
    return split_tags(request.POST.get("tags", ""))


def suggested_tags(owner: User, snapshot: Snapshot | None) -> list[str]:
    """Tag suggestions for the owner's captured page; none while it has no text yet."""
    if snapshot is None or snapshot.status not in CAPTURED:
        return []
    return suggest_tags(owner, snapshot)


@login_required
@require_GET
def add_tag_options(request: SignedInRequest) -> HttpResponse:
    """The add form's tag choices for the address being typed (htmx): the tags this person
    used on the same site. A page not captured yet has no text to read keywords from."""
    names = suggest_tags_for_url(request.user, request.GET.get("url", ""))
    return render(request, "web/_add_tag_options.html", {"names": names})


@login_required
@require_POST
def bulk_tags(request: SignedInRequest) -> HttpResponse:
    """Add or remove tags on the links ticked in a list (links.bulk: only the person's own)."""
    ids = [pk for pk in map(object_id, request.POST.getlist("link")) if pk is not None]
    names = split_tags(request.POST.get("tags", ""))
    if not ids or not names:
        messages.error(request, _("Tick some links and type the tags first."))
        return redirect(_safe_next(request))
    remove = request.POST.get("action") == "untag"
    try:
        result = (bulk.remove_tags if remove else bulk.add_tags)(request.user, ids, names)
    except services.LinkError as exc:
        messages.error(request, services.explain(exc))
    else:
        messages.success(request, _("%(count)d links changed.") % {"count": result.changed})
    return redirect(_safe_next(request))


def _safe_next(request: HttpRequest) -> str:
    target = request.POST.get("next") or "/"
    allowed = url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure())
    return target if allowed else "/"


@login_required
@require_POST
def recapture(request: SignedInRequest, link_id: int) -> HttpResponse:
    snapshot = services.recapture(_owned(request, link_id))
    return redirect("snapshot", snapshot_id=snapshot.pk)


@login_required
def delete(request: SignedInRequest, link_id: int) -> HttpResponse:
    """GET asks to confirm; POST deletes the link, its snapshots and unshared files."""
    link = _owned(request, link_id)
    if request.method != "POST":
        return render(request, "web/link_delete.html", {"link": link})
    try:
        deletion.delete_link(link)
    except deletion.LinkBusy:
        messages.error(request, _("This link is being captured right now; delete it in a moment."))
        return _to_latest(link)
    except Link.DoesNotExist as exc:  # deleted meanwhile, by a double click or another tab
        raise Http404("no such link") from exc
    messages.success(request, _("The link and its snapshots were deleted."))
    return redirect("home")


def _to_latest(link: Link) -> HttpResponse:
    latest = queries.latest_snapshot(link)
    return redirect("snapshot", snapshot_id=latest.pk) if latest else redirect("home")
