"""Tag pages: the signed-in person's tag cloud with rename/merge/delete, and one page per tag."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from linkhome.accounts.signed_in import SignedInRequest
from linkhome.links import queries, services, tags
from linkhome.web.paging import page_of

PAGE_SIZE = 50


@login_required
def cloud(request: SignedInRequest) -> HttpResponse:
    return render(request, "web/tags.html", {"tags": tags.tag_counts(request.user)})


def tag_page(request: HttpRequest, name: str) -> HttpResponse:
    page = page_of(queries.tagged_snapshots(request.user, name), request.GET.get("page"), PAGE_SIZE)
    return render(request, "web/tag.html", {"name": name, "page": page})


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
    except services.LinkError as exc:  # TagError, or the new name breaks the tag rules
        messages.error(request, services.explain(exc))
    return redirect("tags")
