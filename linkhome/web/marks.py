"""The owner's marks (已读/未读, 星标, 归档), bulk actions on ticked links, and 保存到我的链接.

Every form posts and redirects (it works without JavaScript); htmx swaps the marks box in
place when it is there. Others' links are 404 (marks) or left alone (bulk).
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from linkhome.accounts.signed_in import SignedInRequest
from linkhome.lib.urls import InvalidUrl
from linkhome.links import bulk, queries, saving, services, states
from linkhome.web import errors
from linkhome.web.filters import split_tags
from linkhome.web.ids import object_id
from linkhome.web.links import _owned, _safe_next, bulk_tags

# A form's value for a mark: "1" sets it, "0" clears it; anything else leaves it.
TRUE_FALSE = {"1": True, "0": False}
ADD_RETRY_AFTER_SECONDS = 60

# The bulk form's buttons: a mark (states.MARK_ACTIONS), a visibility, or another kind of action.
VISIBILITY_ACTIONS = {"public": "public", "private": "private"}


def _marks_from(request: HttpRequest) -> dict[str, bool]:
    return {
        name: TRUE_FALSE[request.POST[name]]
        for name in queries.MARKS
        if request.POST.get(name) in TRUE_FALSE
    }


@login_required
@require_POST
def set_marks(request: SignedInRequest, link_id: int) -> HttpResponse:
    """Set one link's marks: htmx swaps the marks box; without it, back to `next`."""
    link = _owned(request, link_id)
    states.set_link_states(link, **_marks_from(request))
    if request.headers.get("HX-Request"):
        return render(request, "web/_link_marks.html", {"link": link})
    return redirect(_safe_next(request))


def _ticked(request: HttpRequest) -> list[int]:
    return [pk for pk in map(object_id, request.POST.getlist("link")) if pk is not None]


@login_required
@require_POST
def bulk_action(request: SignedInRequest) -> HttpResponse:
    """The lists' bulk form: tag or untag (web.links.bulk_tags), mark, make public or
    private, or delete (after a confirmation page) the ticked links."""
    action = request.POST.get("action", "")
    if action in ("tag", "untag"):
        return bulk_tags(request)
    ids = _ticked(request)
    if not ids:
        messages.error(request, _("Tick some links first."))
        return redirect(_safe_next(request))
    if action == "delete":
        return _confirm_delete(request, ids)
    if action == "delete-confirmed":
        return _delete(request, ids)
    if action in states.MARK_ACTIONS:
        result = bulk.mark(request.user, ids, **states.MARK_ACTIONS[action])
    elif action in VISIBILITY_ACTIONS:
        result = bulk.set_visibility(request.user, ids, VISIBILITY_ACTIONS[action])
    else:
        messages.error(request, _("Choose what to do with the ticked links."))
        return redirect(_safe_next(request))
    messages.success(request, _changed(result.changed))
    return redirect(_safe_next(request))


def _changed(count: int) -> str:
    return ngettext("%(count)d link changed.", "%(count)d links changed.", count) % {"count": count}


def _confirm_delete(request: SignedInRequest, ids: list[int]) -> HttpResponse:
    """Deleting asks first: the page lists the person's own ticked links (others' ids are
    not shown: they are left alone) and posts them again with the confirmed action."""
    links = list(queries.owned_links(request.user).filter(pk__in=ids))
    if not links:
        messages.error(request, _("Tick some links first."))
        return redirect(_safe_next(request))
    context = {"links": links, "next": _safe_next(request)}
    return render(request, "web/links_bulk_delete.html", context)


def _delete(request: SignedInRequest, ids: list[int]) -> HttpResponse:
    result = bulk.delete(request.user, ids)
    count = len(result.deleted)
    messages.success(
        request,
        ngettext(
            "%(count)d link and its snapshots were deleted.",
            "%(count)d links and their snapshots were deleted.",
            count,
        )
        % {"count": count},
    )
    if result.busy:
        messages.error(
            request,
            _("%(count)d links are being captured right now; delete them in a moment.")
            % {"count": len(result.busy)},
        )
    return redirect(_safe_next(request))


@login_required
@require_POST
def save_to_mine(request: SignedInRequest, snapshot_id: int) -> HttpResponse:
    """保存到我的链接: someone else's public snapshot becomes the viewer's own link."""
    visibility = "private" if request.POST.get("visibility") == "private" else "public"
    try:
        services.check_add_rate(request.user)
    except services.RateLimited as exc:
        return errors.too_many(request, services.explain(exc), ADD_RETRY_AFTER_SECONDS)
    try:
        saved = saving.save_to_mine(
            request.user,
            snapshot_id,
            tags=split_tags(request.POST.get("tags", "")),
            visibility=visibility,
        )
    except saving.NoSuchSnapshot as exc:  # someone else's private link: as if not there
        raise Http404("no such snapshot") from exc
    except (InvalidUrl, services.LinkError) as exc:
        messages.error(request, services.explain(exc))
        return redirect("snapshot", snapshot_id=snapshot_id)
    messages.success(request, _saved_message(saved))
    if saved.snapshot is None:
        return redirect("home")
    return redirect("snapshot", snapshot_id=saved.snapshot.pk)


def _saved_message(saved: saving.Saved) -> str:
    if not saved.created:
        return _("You kept this address already; the tags were added to your link.")
    if saved.shared:
        return _("Saved to your links, with this snapshot (no second capture).")
    return _("Saved to your links; a new snapshot was queued.")
