"""Editing a link and capturing it again: owner only; anyone else gets 404."""

from django import forms
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from linkhome.links import queries, services
from linkhome.links.models import Link, Visibility


class LinkForm(forms.Form):
    title = forms.CharField(max_length=500, required=False)
    note = forms.CharField(widget=forms.Textarea, required=False)
    tags = forms.CharField(required=False, help_text="用逗号分隔")
    visibility = forms.ChoiceField(choices=Visibility.choices)


def _owned(request: HttpRequest, link_id: int) -> Link:
    link = queries.owned_links(request.user).filter(pk=link_id).first()
    if link is None:  # 404, not 403: another person's link does not exist for you
        raise Http404("no such link")
    return link


def split_tags(text: str) -> list[str]:
    return [t for t in text.replace("，", ",").split(",") if t.strip()]


@login_required
def edit(request: HttpRequest, link_id: int) -> HttpResponse:
    link = _owned(request, link_id)
    initial = {
        "title": link.title,
        "note": link.note,
        "visibility": link.visibility,
        "tags": ", ".join(t.name for t in link.tags.all()),
    }
    form = LinkForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        services.edit_link(
            link,
            title=data["title"],
            note=data["note"],
            tags=split_tags(data["tags"]),
            visibility=data["visibility"],
        )
        return _to_latest(link)
    return render(request, "web/link_edit.html", {"form": form, "link": link})


@login_required
@require_POST
def recapture(request: HttpRequest, link_id: int) -> HttpResponse:
    snapshot = services.recapture(_owned(request, link_id))
    return redirect("snapshot", snapshot_id=snapshot.pk)


def _to_latest(link: Link) -> HttpResponse:
    latest = queries.latest_snapshot(link)
    return redirect("snapshot", snapshot_id=latest.pk) if latest else redirect("home")
