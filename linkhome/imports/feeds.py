"""Feeds in: subscriptions to RSS and Atom feeds, the only code that writes them.

`subscribe` takes a feed's address at the door (the add box's rules: lib.urls, and no IP
literal of a private network unless LINKHOME_ALLOW_PRIVATE_NETWORKS) and makes the
subscription due at once; `import_opml` does the same for each feed of an OPML file.

The worker's `poll-feeds` job (worker/schedule.py) calls `imports.polling.poll_due()`: each due subscription
is claimed with one conditional UPDATE (`WHERE id = ? AND next_check_at = <the value read>`)
that moves its next check forward by the wait of a failed check, so among any number of
workers a check is made once, and a worker killed mid-check leaves it due again after that
wait. The feed is fetched through the guarded client (lib.safe_http: the captures' address
rules, at most LINKHOME_FEED_MAX_BYTES) in the host's turn (hosts.pace: the captures'
per-host limits), with If-None-Match / If-Modified-Since from the last answer: a 304 reads
nothing and changes nothing. An error (the network, an HTTP status, not a feed) is recorded
with its reason and the next check waits LINKHOME_FEED_POLL_SECONDS × 2^errors in a row
(at most LINKHOME_FEED_BACKOFF_MAX_SECONDS); a host asking for a pause (429/503 with
Retry-After) is paused for every capture too.

Each entry is taken once (`FeedEntry`, unique per subscription by its id, else its address;
an entry whose address the subscription took under another id is not taken again). New
entries, at most LINKHOME_FEED_MAX_ENTRIES per check, are judged by the import's rules
(lib.bookmarks.judging: http/https, no private address) and saved through
links.services.save_links, the import's bulk door: new links get the subscription's tags and
visibility and the entry's date as their saved date, and their captures go to the bulk lane
(behind every link a person adds); an address the person keeps already gets the tags it
lacked. Refused entries are counted with their reason.
"""

import logging
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import BinaryIO

from django.conf import settings
from django.contrib.auth.models import User
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from linkhome.archive import messages as failure_messages
from linkhome.imports.models import FeedEntry, FeedResult, Subscription
from linkhome.imports.services import REASONS, ImportRefused
from linkhome.lib.feeds import NotOpml, read_opml
from linkhome.lib.safe_http import FetchError
from linkhome.lib.safe_http.urls import check_url, names_a_host
from linkhome.lib.urls import InvalidUrl, clean_submitted_url
from linkhome.links.models import Visibility
from linkhome.links.services import (
    LinkError,
    check_visibility,
    clean_tag_names,
)

log = logging.getLogger("linkhome.imports")
OPML_MAX_BYTES = 1024 * 1024
OPML_MAX_FEEDS = 1000
LATEST_SHOWN = 10
NO_OPML = gettext_noop("choose an OPML file to import")

# Why the last check failed, by code (the English detail follows, translated when its form
# is known: archive.messages).
ERRORS = {
    "fetch": gettext_noop("the feed could not be fetched: %(detail)s"),
    "status": gettext_noop("the server answered %(status)s"),
    "not_a_feed": gettext_noop("this is not an RSS or Atom feed"),
    "host_busy": gettext_noop("waiting for the site's turn"),
}


class NoSuchSubscription(LookupError):
    """No subscription of this person has that id (someone else's is not theirs: a 404)."""


class SubscriptionRefused(LinkError):
    """The address or the options cannot be subscribed to; the message is for the person."""


@dataclass
class Subscribed:
    subscription: Subscription
    created: bool


# --- at the door ------------------------------------------------------------------------


def subscribe(
    owner: User, url: str, *, tags: Iterable[str] = (), visibility: str | None = None
) -> Subscribed:
    """Follow the feed at `url`; its check is due at once. Subscribing again to a feed
    followed already changes nothing and answers that subscription (created False)."""
    feed_url = _checked_address(url)
    extra_tags = clean_tag_names(tags)
    visibility = visibility or Visibility.PUBLIC
    check_visibility(visibility)
    existing = Subscription.objects.filter(owner=owner, url=feed_url).first()
    if existing is not None:
        return Subscribed(existing, False)
    try:
        with transaction.atomic():
            made = Subscription.objects.create(
                owner=owner,
                url=feed_url,
                tags=extra_tags,
                visibility=visibility,
                next_check_at=timezone.now(),
            )
    except IntegrityError:  # the same address subscribed to at the same moment
        return Subscribed(Subscription.objects.get(owner=owner, url=feed_url), False)
    return Subscribed(made, True)


def _checked_address(url: str) -> str:
    try:
        cleaned = clean_submitted_url(url).url
        if not names_a_host(cleaned):
            check_url(cleaned, settings.ALLOW_PRIVATE_NETWORKS)
    except InvalidUrl:
        raise
    except FetchError as exc:
        raise SubscriptionRefused(
            gettext_noop("this address cannot be fetched: %(detail)s"), detail=exc.message
        ) from None
    return cleaned


@dataclass
class OpmlImported:
    subscribed: list[Subscription]
    existing: list[Subscription]
    refused: list[tuple[str, str]]  # (address, reason in the active language)


def import_opml(
    owner: User,
    source: BinaryIO | UploadedFile,
    *,
    tags: Iterable[str] = (),
    visibility: str | None = None,
    folders_as_tags: bool = True,
) -> OpmlImported:
    """Subscribe to every feed of an OPML file; the folders a feed is in become tags of its
    links (with `tags`). Raises ImportRefused at once for a file that is not OPML."""
    data = source.read(OPML_MAX_BYTES + 1)
    if len(data) > OPML_MAX_BYTES:
        raise ImportRefused(
            gettext_noop("the file is larger than the limit of %(limit)s"), limit="1 MiB"
        )
    try:
        outlines = read_opml(data, max_feeds=OPML_MAX_FEEDS)
    except NotOpml as exc:
        raise ImportRefused(gettext_noop("not an OPML file: %(reason)s"), reason=str(exc)) from None
    if not outlines:
        raise ImportRefused(gettext_noop("the OPML file lists no feeds"))
    given = clean_tag_names(tags)
    result = OpmlImported([], [], [])
    for outline in outlines:
        folder_tags = clean_tag_names(outline.folders) if folders_as_tags else []
        try:
            done = subscribe(owner, outline.url, tags=[*given, *folder_tags], visibility=visibility)
        except (InvalidUrl, LinkError) as exc:
            result.refused.append((outline.url, _explain(exc)))
            continue
        if done.created and outline.title and not done.subscription.title:
            Subscription.objects.filter(pk=done.subscription.pk).update(title=outline.title)
            done.subscription.title = outline.title
        (result.subscribed if done.created else result.existing).append(done.subscription)
    return result


def _explain(exc: Exception) -> str:
    template = getattr(exc, "template", None)
    if template is None:
        return str(exc)
    params = getattr(exc, "params", {})
    return _(template) % params if params else _(template)


def unsubscribe(owner: User, subscription_id: int) -> None:
    """Stop following; the links it added stay the person's links."""
    deleted, _rows = Subscription.objects.filter(owner=owner, pk=subscription_id).delete()
    if not deleted:
        raise NoSuchSubscription(subscription_id)


def subscriptions_of(owner: User) -> QuerySet[Subscription]:
    return Subscription.objects.filter(owner=owner).order_by("title", "url", "pk")


def get_subscription(owner: User, subscription_id: int) -> Subscription:
    found = Subscription.objects.filter(owner=owner, pk=subscription_id).first()
    if found is None:
        raise NoSuchSubscription(subscription_id)
    return found


def latest_entries(subscription: Subscription, count: int = LATEST_SHOWN) -> list[FeedEntry]:
    return list(subscription.entries.order_by("-seen_at", "-pk")[:count])


def result_text(subscription: Subscription) -> str:
    """The last check's result in the active language, with the reason of an error."""
    if subscription.result != FeedResult.ERROR:
        return str(FeedResult(subscription.result).label)
    template = ERRORS.get(subscription.error_code)
    if template is None:
        return failure_messages.translated(subscription.error) or _("error")
    if subscription.error_code == "fetch":
        return _(template) % {"detail": failure_messages.translated(subscription.error)}
    if subscription.error_code == "status":
        return _(template) % {"status": subscription.http_status}
    return _(template)


def entry_reason(entry: FeedEntry) -> str:
    label = _(REASONS[entry.code]) if entry.code in REASONS else ""
    return f"{label}: {entry.detail}" if label and entry.detail else label or entry.detail


def summary(subscription: Subscription) -> dict[str, object]:
    """What the API and `linkhome subscriptions --json` say about a subscription."""
    return {
        "id": subscription.pk,
        "url": subscription.url,
        "title": subscription.title,
        "tags": list(subscription.tags),
        "visibility": subscription.visibility,
        "created_at": subscription.created_at.isoformat(),
        "checked_at": _iso(subscription.checked_at),
        "result": subscription.result,
        "result_text": result_text(subscription) if subscription.result else "",
        "error_code": subscription.error_code,
        "error": subscription.error,
        "http_status": subscription.http_status,
        "failures": subscription.failures,
        "next_check_at": _iso(subscription.next_check_at),
        "added": subscription.added,
        "merged": subscription.merged,
        "refused": subscription.refused,
        "latest": [
            {
                "url": entry.url,
                "title": entry.title,
                "outcome": entry.outcome,
                "link": entry.link_id,
                "reason": entry_reason(entry) if entry.outcome == FeedEntry.REFUSED else "",
                "seen_at": entry.seen_at.isoformat(),
            }
            for entry in latest_entries(subscription)
        ],
    }


def _iso(when: datetime | None) -> str | None:
    return when.isoformat() if when else None
