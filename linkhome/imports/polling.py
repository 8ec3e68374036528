"""Polling subscribed feeds (the worker's `poll-feeds` job): claim the due subscriptions
atomically, fetch each through the guarded client within the per-host limits, with a
conditional GET, back off on errors, and save new entries as bulk links. The
subscriptions themselves (subscribe, OPML, unsubscribe, what the pages show) are
`imports.feeds`."""

import hashlib
import logging
import time
from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from linkhome.hosts import pace
from linkhome.hosts.pace import HostBusy
from linkhome.imports.models import FeedEntry, FeedResult, Subscription
from linkhome.lib.bookmarks import Entry, judging
from linkhome.lib.feeds import FeedEntry as ParsedEntry
from linkhome.lib.feeds import NotAFeed, ParsedFeed, parse_feed
from linkhome.lib.retry_after import retry_after_seconds
from linkhome.lib.safe_http import FetchError, Limits, SafeClient
from linkhome.links.services import (
    BulkLink,
    save_links,
)

log = logging.getLogger("linkhome.imports")

KEYS_PER_QUERY = 500  # entry keys looked up per query (SQLite's variable limit)
PAUSING = {429, 503}
ACCEPT = "application/atom+xml, application/rss+xml, application/rdf+xml;q=0.9, */*;q=0.5"


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
