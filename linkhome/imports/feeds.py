"""Feeds in: subscriptions to RSS and Atom feeds, the only code that writes them.

`subscribe` takes a feed's address at the door (the add box's rules: lib.urls, and no IP
literal of a private network unless LINKHOME_ALLOW_PRIVATE_NETWORKS) and makes the
subscription due at once; `import_opml` does the same for each feed of an OPML file.

The worker's `poll-feeds` job (worker/schedule.py) calls `poll_due()`: each due subscription
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

import hashlib
import logging
import time
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import BinaryIO

from django.conf import settings
from django.contrib.auth.models import User
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.db.models import F, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from linkhome.archive import messages as failure_messages
from linkhome.hosts import pace
from linkhome.hosts.pace import HostBusy
from linkhome.imports.models import FeedEntry, FeedResult, Subscription
from linkhome.imports.services import REASONS, ImportRefused
from linkhome.lib.bookmarks import Entry, judging
from linkhome.lib.feeds import FeedEntry as ParsedEntry
from linkhome.lib.feeds import NotAFeed, NotOpml, ParsedFeed, parse_feed, read_opml
from linkhome.lib.retry_after import retry_after_seconds
from linkhome.lib.safe_http import FetchError, Limits, SafeClient
from linkhome.lib.safe_http.urls import check_url, names_a_host
from linkhome.lib.urls import InvalidUrl, clean_submitted_url
from linkhome.links.models import Visibility
from linkhome.links.services import (
    BulkLink,
    LinkError,
    check_visibility,
    clean_tag_names,
    save_links,
)

log = logging.getLogger("linkhome.imports")
OPML_MAX_BYTES = 1024 * 1024
OPML_MAX_FEEDS = 1000
LATEST_SHOWN = 10
KEYS_PER_QUERY = 500  # entry keys looked up per query (SQLite's variable limit)
NO_OPML = gettext_noop("choose an OPML file to import")
PAUSING = {429, 503}
ACCEPT = "application/atom+xml, application/rss+xml, application/rdf+xml;q=0.9, */*;q=0.5"

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


# --- polling (the worker) ---------------------------------------------------------------


def backoff(failures: int) -> timedelta:
    """The wait after `failures` errors in a row (0: the ordinary interval)."""
    seconds = settings.FEED_POLL_SECONDS * 2 ** min(failures, 30)
    return timedelta(seconds=min(seconds, settings.FEED_BACKOFF_MAX_SECONDS))


def make_client() -> SafeClient:
    timeout = settings.FEED_TIMEOUT
    return SafeClient(
        Limits(
            connect_timeout=min(timeout, settings.FETCH_CONNECT_TIMEOUT),
            read_timeout=timeout,
            deadline=timeout,
            max_body=settings.FEED_MAX_BYTES,
            max_redirects=settings.FETCH_MAX_REDIRECTS,
            allow_private=settings.ALLOW_PRIVATE_NETWORKS,
        )
    )


def claim_due(batch: int, worker_id: str = "", now: datetime | None = None) -> list[int]:
    """Claim up to `batch` due subscriptions (each once among all workers)."""
    now = now or timezone.now()
    due = list(
        Subscription.objects.filter(next_check_at__lte=now)
        .order_by("next_check_at", "pk")
        .values_list("pk", "next_check_at", "failures")[:batch]
    )
    claimed = []
    for pk, next_at, failures in due:
        won = Subscription.objects.filter(pk=pk, next_check_at=next_at).update(
            next_check_at=now + backoff(failures + 1), claimed_by=worker_id[:64]
        )
        if won:
            claimed.append(pk)
    return claimed


def poll_due(
    batch: int,
    worker_id: str = "",
    *,
    budget: float | None = None,
    client: SafeClient | None = None,
) -> int:
    """Claim and check due subscriptions, one at a time, until `budget` seconds have passed
    (the job runs in the heartbeat's thread); returns how many were checked. `client`: the
    guarded client to fetch with (made from the settings when None)."""
    started = time.monotonic()
    checked = 0
    own = client is None
    client = client or make_client()
    try:
        while budget is None or time.monotonic() - started < budget:
            claimed = claim_due(1, worker_id)
            if not claimed:
                break
            poll(claimed[0], client, wait=_left(budget, started))
            checked += 1
            if checked >= batch:
                break
    finally:
        if own:
            client.close()
    return checked


def _left(budget: float | None, started: float) -> float | None:
    return None if budget is None else max(0.0, budget - (time.monotonic() - started))


def poll(subscription_id: int, client: SafeClient, *, wait: float | None = None) -> None:
    """Check one claimed subscription and record what was found. `wait`: the longest wait
    for the host's turn (past it the check is put off, which is no error)."""
    subscription = Subscription.objects.filter(pk=subscription_id).first()
    if subscription is None:
        return
    try:
        with pace.turn(subscription.url, max_wait=wait):
            fetched = client.get(subscription.url, headers=_conditional(subscription))
    except HostBusy as exc:
        later = timezone.now() + timedelta(seconds=max(exc.wait, 1.0))
        Subscription.objects.filter(pk=subscription.pk).update(next_check_at=later)
        return
    except FetchError as exc:
        _failed(subscription, "fetch", exc.message)
        return
    final = fetched.final
    if final.status == 304:
        _succeeded(subscription, FeedResult.NOT_MODIFIED, final.header("etag"), None)
        return
    if final.status >= 400 or final.status < 200:
        seconds = retry_after_seconds(final.header("retry-after"))
        if final.status in PAUSING and seconds:
            pace.pause(subscription.url, min(seconds, settings.RETRY_AFTER_MAX))
        _failed(subscription, "status", f"the server answered {final.status}", final.status)
        return
    try:
        parsed = parse_feed(final.body, base_url=fetched.final_url)
    except NotAFeed as exc:
        _failed(subscription, "not_a_feed", str(exc), final.status)
        return
    try:
        complete = _take(subscription, parsed, client.limits.allow_private)
    except Exception as exc:  # a bug must not stop the other subscriptions; it is recorded
        log.exception("subscription %s: saving its entries failed", subscription.pk)
        _failed(subscription, "", f"{type(exc).__name__}: {exc}", final.status)
        return
    if not complete:  # entries wait: the next check must read the feed again, not get a 304
        _succeeded(subscription, FeedResult.OK, None, None)
        return
    _succeeded(subscription, FeedResult.OK, final.header("etag"), final.header("last-modified"))


def _conditional(subscription: Subscription) -> dict[str, str]:
    headers = {"Accept": ACCEPT}
    if subscription.etag:
        headers["If-None-Match"] = subscription.etag
    if subscription.last_modified:
        headers["If-Modified-Since"] = subscription.last_modified
    return headers


def _succeeded(
    subscription: Subscription, result: str, etag: str | None, last_modified: str | None
) -> None:
    now = timezone.now()
    fields: dict[str, object] = {
        "checked_at": now,
        "result": result,
        "error_code": "",
        "error": "",
        "failures": 0,
        "next_check_at": now + backoff(0),
    }
    if result == FeedResult.OK:
        fields |= {"etag": (etag or "")[:500], "last_modified": (last_modified or "")[:100]}
        fields["http_status"] = 200
    elif etag:
        fields["etag"] = etag[:500]  # a 304 may send the entity's current tag
    Subscription.objects.filter(pk=subscription.pk).update(**fields)


def _failed(subscription: Subscription, code: str, detail: str, status: int | None = None) -> None:
    now = timezone.now()
    failures = subscription.failures + 1
    Subscription.objects.filter(pk=subscription.pk).update(
        checked_at=now,
        result=FeedResult.ERROR,
        error_code=code,
        error=detail[:2000],
        http_status=status,
        failures=failures,
        next_check_at=now + backoff(failures),
    )


def _key(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()


def _take(subscription: Subscription, parsed: ParsedFeed, allow_private: bool) -> bool:
    """The feed's entries not taken before become links (at most LINKHOME_FEED_MAX_ENTRIES,
    the newest ones, saved oldest first so a feed's newest entry is the newest link).
    False when entries were left for the next check."""
    if parsed.title and parsed.title != subscription.title:
        Subscription.objects.filter(pk=subscription.pk).update(title=parsed.title)
    keyed: dict[str, ParsedEntry] = {}
    for entry in parsed.entries:
        keyed.setdefault(_key(entry.key), entry)
    if not keyed:
        return True
    keys = list(keyed)
    known: set[str] = set()
    for start in range(0, len(keys), KEYS_PER_QUERY):
        chunk = keys[start : start + KEYS_PER_QUERY]
        taken = FeedEntry.objects.filter(subscription=subscription, key__in=chunk)
        known.update(taken.values_list("key", flat=True))
    fresh = [(key, entry) for key, entry in keyed.items() if key not in known]
    complete = len(fresh) <= settings.FEED_MAX_ENTRIES
    fresh = fresh[: settings.FEED_MAX_ENTRIES]
    fresh.reverse()  # feeds list the newest first
    if not fresh:
        return True
    visibility = subscription.visibility
    tags = list(subscription.tags)
    judged = [
        judging.judge(
            i,
            Entry(url=entry.url, title=entry.title, saved_at=entry.published),
            tags,
            visibility,
            allow_private,
        )
        for i, (key, entry) in enumerate(fresh)
    ]
    taken_addresses = set(
        FeedEntry.objects.filter(
            subscription=subscription,
            normalized__in=[v.normalized for v in judged if v.normalized],
        ).values_list("normalized", flat=True)
    )
    with transaction.atomic():
        items = [
            BulkLink(
                url=v.url,
                normalized=v.normalized,
                title=v.title,
                tags=v.tags,
                private=v.private,
                saved_at=v.saved,
            )
            for v in judged
            if v.url and v.normalized not in taken_addresses
        ]
        saved = save_links(subscription.owner, items)
        rows: list[FeedEntry] = []
        counts = {FeedEntry.ADDED: 0, FeedEntry.MERGED: 0, FeedEntry.REFUSED: 0}
        for (key, entry), verdict in zip(fresh, judged, strict=True):
            row = FeedEntry(
                subscription=subscription,
                key=key,
                url=entry.url[:2000],
                title=entry.title[:500],
                normalized=verdict.normalized,
            )
            if not verdict.url:
                row.outcome, row.code, row.detail = FeedEntry.REFUSED, verdict.code, verdict.detail
            elif verdict.normalized in taken_addresses:
                continue  # the same address under another id: taken before, once is enough
            else:
                done = saved[verdict.normalized]
                row.link_id = done.link_id
                row.outcome = FeedEntry.ADDED if done.created else FeedEntry.MERGED
                if any(r.normalized == verdict.normalized for r in rows):
                    row.outcome = FeedEntry.MERGED  # the same address twice in this feed
            counts[row.outcome] += 1
            rows.append(row)
        FeedEntry.objects.bulk_create(rows, ignore_conflicts=True)
        Subscription.objects.filter(pk=subscription.pk).update(
            added=F("added") + counts[FeedEntry.ADDED],
            merged=F("merged") + counts[FeedEntry.MERGED],
            refused=F("refused") + counts[FeedEntry.REFUSED],
        )
    return complete
