"""Who is told about what, and how: the opt-ins (per link, per tag) and a person's channels.

A link notifies when its own choice says so; without one, when any of its tags is opted in.
Tags are per person, so a tag only ever opts in its owner's links. This module is the only
writer of `LinkNotify`, `TagNotify` and `Channels`.
"""

import secrets
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.utils.translation import gettext_noop

from linkhome.lib.safe_http import FetchError, check_url
from linkhome.links.models import Link, Tag
from linkhome.notify.models import Channels, LinkNotify, TagNotify, new_feed_key

MIN_SECRET = 16
MAX_URL = 2000
LANGUAGES = ("zh-hans", "en")


class NotifyError(Exception):
    """A choice refused; the message is a msgid (gettext_noop), translated by the adapter."""

    def __init__(self, message: str, **values: object) -> None:
        super().__init__(message)
        self.message = message
        self.values = values


BAD_WEBHOOK = gettext_noop("the webhook address cannot be used: %(reason)s")
SHORT_SECRET = gettext_noop("the webhook secret must be at least %(n)d characters")
BAD_EMAIL = gettext_noop("this is not an email address")
NO_EMAIL_ADDRESS = gettext_noop("give an email address to be told by email")


def link_choice(link: Link) -> bool | None:
    """The link's own choice; None: it follows its tags."""
    return LinkNotify.objects.filter(link=link).values_list("notify", flat=True).first()


def tag_notifies(tag: Tag) -> bool:
    return TagNotify.objects.filter(tag=tag).exists()


def notifies(link: Link) -> bool:
    """Whether a change or death of this link is notified to its owner."""
    own = link_choice(link)
    if own is not None:
        return own
    return TagNotify.objects.filter(tag__links=link, tag__owner_id=link.owner_id).exists()


def summary(link: Link) -> dict:
    """`{"notify": own choice or None, "notify_effective": bool, "notify_from": link|tag|none}`."""
    own = link_choice(link)
    if own is not None:
        return {"notify": own, "notify_effective": own, "notify_from": "link"}
    tagged = TagNotify.objects.filter(tag__links=link, tag__owner_id=link.owner_id).exists()
    return {"notify": None, "notify_effective": tagged, "notify_from": "tag" if tagged else "none"}


def set_link_notify(link: Link, notify: bool | None) -> None:
    """The link's own choice: True, False, or None to follow its tags again."""
    if notify is None:
        LinkNotify.objects.filter(link=link).delete()
    else:
        LinkNotify.objects.update_or_create(link=link, defaults={"notify": notify})


def set_tag_notify(tag: Tag, notify: bool) -> None:
    """Whether the owner's links with this tag notify (those with no choice of their own)."""
    if notify:
        TagNotify.objects.get_or_create(tag=tag)
    else:
        TagNotify.objects.filter(tag=tag).delete()


def channels_of(owner: User) -> Channels:
    """The person's channels, made (with a feed key) the first time they are asked for."""
    found = Channels.objects.filter(owner=owner).first()
    if found is not None:
        return found
    try:
        with transaction.atomic():
            return Channels.objects.create(owner=owner, feed_key=new_feed_key())
    except IntegrityError:  # made by another request meanwhile
        return Channels.objects.get(owner=owner)


def email_available() -> bool:
    """Whether this instance sends email at all (LINKHOME_EMAIL_HOST set)."""
    return bool(settings.EMAIL_HOST)


@dataclass(frozen=True)
class ChannelChoice:
    email_on: bool
    email: str
    webhook_url: str
    webhook_secret: str  # "" with a webhook: a new one is made
    language: str


def set_channels(owner: User, choice: ChannelChoice) -> Channels:
    """Save the person's email and webhook settings, checked first (NotifyError)."""
    email = choice.email.strip()
    if email:
        try:
            validate_email(email)
        except ValidationError:
            raise NotifyError(BAD_EMAIL) from None
    if choice.email_on and not email:
        raise NotifyError(NO_EMAIL_ADDRESS)
    url = check_webhook_url(choice.webhook_url)
    secret = choice.webhook_secret.strip()
    if url and not secret:
        secret = secrets.token_hex(24)
    if secret and len(secret) < MIN_SECRET:
        raise NotifyError(SHORT_SECRET, n=MIN_SECRET)
    channels = channels_of(owner)
    channels.email_on, channels.email = choice.email_on, email
    channels.webhook_url, channels.webhook_secret = url, secret if url else ""
    channels.language = choice.language if choice.language in LANGUAGES else "zh-hans"
    channels.save()
    return channels


def check_webhook_url(url: str) -> str:
    """The address as the guarded client will post to it, or "" for none. The same rules
    as a capture: http/https, no private or local address (an IP literal is refused here; a
    name that resolves to one is refused when the worker connects), unless
    LINKHOME_ALLOW_PRIVATE_NETWORKS."""
    url = url.strip()
    if not url:
        return ""
    if len(url) > MAX_URL:
        raise NotifyError(BAD_WEBHOOK, reason=f"longer than {MAX_URL} characters")
    try:
        return check_url(url, settings.ALLOW_PRIVATE_NETWORKS)
    except FetchError as exc:
        raise NotifyError(BAD_WEBHOOK, reason=exc.message) from None


def new_feed_address(owner: User) -> Channels:
    """A new secret feed address; the old one answers 404 from now on."""
    channels = channels_of(owner)
    channels.feed_key = new_feed_key()
    channels.save(update_fields=["feed_key"])
    return channels


def owner_of_feed(key: str) -> User | None:
    if not key:
        return None
    found = Channels.objects.filter(feed_key=key).select_related("owner").first()
    return found.owner if found else None
