"""Notifications on the web: the account page (feed address, webhook, email) and the
person's Atom feed at its secret address. Thin: forms in, notify.preferences out."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from linkhome.accounts.signed_in import SignedInRequest
from linkhome.notify import feed, preferences
from linkhome.notify.models import Channels

LANGUAGE_CHOICES = [("zh-hans", "简体中文"), ("en", "English")]


class ChannelsForm(forms.Form):
    email_on = forms.BooleanField(label=gettext_lazy("Tell me by email"), required=False)
    email = forms.CharField(label=gettext_lazy("Email address"), max_length=254, required=False)
    webhook_url = forms.CharField(
        label=gettext_lazy("Webhook address"),
        max_length=preferences.MAX_URL,
        required=False,
        help_text=gettext_lazy("LinkHome POSTs each notification there as signed JSON"),
    )
    webhook_secret = forms.CharField(
        label=gettext_lazy("Webhook secret"),
        max_length=128,
        required=False,
        help_text=gettext_lazy("at least 16 characters; left empty, one is made for you"),
    )
    language = forms.ChoiceField(
        label=gettext_lazy("Language of the emails"), choices=LANGUAGE_CHOICES
    )


def _initial(channels: Channels) -> dict:
    return {
        "email_on": channels.email_on,
        "email": channels.email,
        "webhook_url": channels.webhook_url,
        "webhook_secret": channels.webhook_secret,
        "language": channels.language,
    }


@login_required
def notifications_page(request: SignedInRequest) -> HttpResponse:
    channels = preferences.channels_of(request.user)
    initial = _initial(channels)
    if not channels.email and not channels.webhook_url:
        initial["language"] = "en" if (get_language() or "").startswith("en") else "zh-hans"
    form = ChannelsForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        choice = preferences.ChannelChoice(
            email_on=data["email_on"],
            email=data["email"],
            webhook_url=data["webhook_url"],
            webhook_secret=data["webhook_secret"],
            language=data["language"],
        )
        try:
            preferences.set_channels(request.user, choice)
        except preferences.NotifyError as exc:
            form.add_error(None, _(exc.message) % exc.values)
        else:
            messages.success(request, _("Notification settings saved."))
            return redirect("notifications")
    context = {
        "form": form,
        "channels": channels,
        "feed_url": request.build_absolute_uri(
            reverse("notification_feed", args=[channels.feed_key])
        ),
        "email_available": preferences.email_available(),
        "recent": feed.recent(request.user.pk, 20),
    }
    return render(request, "web/notifications.html", context)


@login_required
@require_POST
def new_feed_address(request: SignedInRequest) -> HttpResponse:
    preferences.new_feed_address(request.user)
    messages.success(request, _("Your feed has a new address; the old one no longer works."))
    return redirect("notifications")


@require_GET
def notification_feed(request: HttpRequest, key: str) -> HttpResponse:
    """The Atom feed of the person whose secret `key` this is (no sign-in: feed readers
    have none); a wrong or revoked key is the same 404 as any unknown page."""
    owner = preferences.owner_of_feed(key)
    if owner is None:
        raise Http404("no such feed")
    language = preferences.channels_of(owner).language
    body = feed.atom(
        owner.pk, request.build_absolute_uri(), request.build_absolute_uri("/"), language
    )
    response = HttpResponse(body, content_type="application/atom+xml; charset=utf-8")
    response["Cache-Control"] = "private, max-age=60"
    response["X-Robots-Tag"] = "noindex"
    return response
