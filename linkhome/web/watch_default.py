"""The account page's "check my pages again" section: the person's own default schedule
(never, daily, weekly, monthly, or the instance's), set through links.watching, as
`linkhome watch --default` and `PUT /api/watch/default` set it. Only ever the signed-in
person's own default: the form names no person."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.models import User
from django.http import HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from linkhome.accounts.signed_in import SignedInRequest
from linkhome.links import watching
from linkhome.links.services import LinkError, explain

LABELS = {
    "never": gettext_lazy("Never"),
    "daily": gettext_lazy("Daily"),
    "weekly": gettext_lazy("Weekly"),
    "monthly": gettext_lazy("Monthly"),
}


def section(user: User) -> dict:
    """What the section shows: the choices, the person's own choice ("" for the
    instance's), and the instance's default, named."""
    own = watching.own_default(user.pk)
    instance = LABELS[settings.WATCH_DEFAULT]
    choices = [("", _("As this site sets it (%(every)s)") % {"every": instance})]
    choices += [(value, str(label)) for value, label in LABELS.items()]
    return {"choices": choices, "own": own}


@login_required
@require_POST
def set_watch_default(request: SignedInRequest) -> HttpResponse:
    """Sets the person's own default schedule; their links without a schedule of their own
    or of their tags are scheduled again by it."""
    try:
        every = watching.set_default_every(request.user, request.POST.get("watch_default", ""))
    except LinkError as exc:
        messages.error(request, explain(exc))
    else:
        shown = LABELS[every] if every else LABELS[settings.WATCH_DEFAULT]
        messages.success(request, _("Your pages are checked again: %(every)s.") % {"every": shown})
    return redirect(f"{reverse('account')}#watch-default")
