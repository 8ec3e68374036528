"""The 订阅 (subscriptions) pages: thin views over imports.feeds, the same as the API and the
CLI. Only the signed-in person's own subscriptions are ever shown; anyone else's is a 404."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST, require_safe

from linkhome.accounts.signed_in import SignedInRequest
from linkhome.imports import feeds
from linkhome.imports.models import Subscription
from linkhome.lib.urls import InvalidUrl
from linkhome.links.services import LinkError, explain
from linkhome.web.filters import split_tags


def _visibility(request: SignedInRequest) -> str | None:
    value = request.POST.get("visibility") or None
    return value if value in ("public", "private") else None


@login_required
def subscriptions_page(request: SignedInRequest) -> HttpResponse:
    """The subscribe form, the OPML upload and the person's subscriptions; POST subscribes."""
    error, status, typed = "", 200, ""
    if request.method == "POST":
        typed = request.POST.get("url", "")
        try:
            done = feeds.subscribe(
                request.user,
                typed,
                tags=split_tags(request.POST.get("tags", "")),
                visibility=_visibility(request),
            )
        except (InvalidUrl, LinkError) as exc:
            error, status = explain(exc), 400
        else:
            if not done.created:
                messages.info(request, _("You follow this feed already."))
            return redirect("subscription", subscription_id=done.subscription.pk)
    return _page(request, error=error, status=status, typed=typed)


def _page(
    request: SignedInRequest,
    *,
    error: str = "",
    opml_error: str = "",
    status: int = 200,
    typed: str = "",
) -> HttpResponse:
    rows = [
        (s, feeds.result_text(s) if s.result else "") for s in feeds.subscriptions_of(request.user)
    ]
    context = {"rows": rows, "error": error, "opml_error": opml_error, "typed": typed}
    return render(request, "web/subscriptions.html", context, status=status)


@login_required
@require_POST
def opml_import(request: SignedInRequest) -> HttpResponse:
    upload = request.FILES.get("file")
    try:
        if upload is None:
            raise feeds.ImportRefused(feeds.NO_OPML)
        done = feeds.import_opml(
            request.user,
            upload,
            tags=split_tags(request.POST.get("tags", "")),
            visibility=_visibility(request),
        )
    except LinkError as exc:
        return _page(request, opml_error=explain(exc), status=400)
    count = len(done.subscribed)
    messages.success(
        request,
        ngettext("Subscribed to %(count)d feed.", "Subscribed to %(count)d feeds.", count)
        % {"count": count},
    )
    if done.existing:
        messages.info(
            request,
            _("Followed already: %(count)d.") % {"count": len(done.existing)},
        )
    for url, reason in done.refused:
        messages.error(request, f"{url}: {reason}")
    return redirect("subscriptions")


def _own(request: SignedInRequest, subscription_id: int) -> Subscription:
    try:
        return feeds.get_subscription(request.user, subscription_id)
    except feeds.NoSuchSubscription as exc:
        raise Http404("no such subscription") from exc


@login_required
@require_safe
def subscription_page(request: SignedInRequest, subscription_id: int) -> HttpResponse:
    subscription = _own(request, subscription_id)
    entries = [
        (entry, feeds.entry_reason(entry) if entry.outcome == entry.REFUSED else "")
        for entry in feeds.latest_entries(subscription)
    ]
    context = {
        "sub": subscription,
        "result": feeds.result_text(subscription) if subscription.result else "",
        "entries": entries,
    }
    return render(request, "web/subscription.html", context)


@login_required
@require_POST
def unsubscribe(request: SignedInRequest, subscription_id: int) -> HttpResponse:
    try:
        feeds.unsubscribe(request.user, subscription_id)
    except feeds.NoSuchSubscription as exc:
        raise Http404("no such subscription") from exc
    messages.success(request, _("Unsubscribed. The links it added stay yours."))
    return redirect("subscriptions")
