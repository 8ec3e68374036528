"""Sign-in throttling: failed sign-ins and wrong API tokens, per account and per client
address, through django-axes (its attempts live in the database, so every web process of
an instance counts the same failures). Settings: LINKHOME_SIGNIN_* (settings.py)."""

import math
from datetime import timedelta

from axes.handlers.proxy import AxesProxyHandler
from django.conf import settings
from django.contrib.auth.signals import user_login_failed
from django.http import HttpRequest
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from linkhome.lib.client_addresses import client_address as address_from_meta

TOKEN_CREDENTIALS: dict = {"username": None}  # a token names no account


def client_address(request: HttpRequest) -> str:
    """AXES_CLIENT_IP_CALLABLE: the forwarded address only behind a trusted proxy."""
    return address_from_meta(request.META, trust_proxy=settings.TRUST_PROXY_HEADERS)


def lockout_parameters(request: HttpRequest, credentials: dict | None) -> list[str]:
    """AXES_LOCKOUT_PARAMETERS: an account and an address are each locked on their own.
    A wrong token names no account: it counts against its address only (counting it
    against "no username" would lock every token user out together)."""
    if credentials and credentials.get("username"):
        return ["username", "ip_address"]
    return ["ip_address"]


def token_locked_out(request: HttpRequest) -> bool:
    """Whether this client address is locked out (API tokens)."""
    return settings.AXES_ENABLED and AxesProxyHandler.is_locked(request, TOKEN_CREDENTIALS)


def token_failed(request: HttpRequest) -> None:
    """Count a wrong API token against the client address, like a wrong password."""
    user_login_failed.send(sender=__name__, credentials=TOKEN_CREDENTIALS, request=request)


def retry_after_seconds() -> int:
    """How long a locked-out client waits from now: every attempt during the lockout
    starts the cool-off again (AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT)."""
    cool_off: timedelta = settings.AXES_COOLOFF_TIME
    return max(1, math.ceil(cool_off.total_seconds()))


def lockout_message(seconds: int) -> str:
    """What a locked-out person reads, in their language, with the time to wait."""
    if seconds < 120:
        wait = ngettext("%(count)d second", "%(count)d seconds", seconds) % {"count": seconds}
    else:
        minutes = math.ceil(seconds / 60)
        wait = ngettext("%(count)d minute", "%(count)d minutes", minutes) % {"count": minutes}
    return _("Too many failed sign-in attempts. Try again in %(wait)s.") % {"wait": wait}
