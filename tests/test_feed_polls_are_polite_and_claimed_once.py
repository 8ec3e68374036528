"""Feed checks share the captures' per-host politeness (hosts.pace): a host whose turn has
not come puts the check off (no request, no error), and a 429 with Retry-After pauses the
host. Each due check is claimed once among workers (a conditional UPDATE)."""

import threading
from datetime import timedelta

import pytest
from django.db import connection
from django.test import override_settings
from django.utils import timezone

from linkhome.hosts.models import HostPace
from linkhome.imports import feeds, polling
from linkhome.imports.models import Subscription
from linkhome.testing.feed_site import FeedSite, rss

pytestmark = pytest.mark.django_db(transaction=True)


@override_settings(HOST_DELAY=3600, HOST_MAX_WAIT=0)
def test_a_second_feed_on_the_same_host_waits_for_its_turn(owner, http_server):
    one, two = FeedSite(http_server, "/one.xml"), FeedSite(http_server, "/two.xml")
    one.body = two.body = rss("F", [("https://a.example.org/1", "One", None)])
    first = feeds.subscribe(owner, one.url).subscription
    second = feeds.subscribe(owner, two.url).subscription

    assert polling.poll_due(10, "test") == 2  # both claimed; only one may fetch now
    assert len(http_server.requests) == 1
    checked = {s.pk: s for s in Subscription.objects.all()}
    waited = next(s for s in checked.values() if s.checked_at is None)
    assert waited.pk in (first.pk, second.pk) and waited.result == "" and waited.failures == 0
    # Put off until about the host's next turn, not the backoff of an error.
    assert waited.next_check_at > timezone.now() + timedelta(seconds=3000)


def test_a_429_with_retry_after_pauses_the_host(owner, http_server):
    url = http_server.route(
        "/feed.xml", status=429, headers=[("Retry-After", "600")], body=b"slow down"
    )
    sub = feeds.subscribe(owner, url).subscription
    assert polling.poll_due(10, "test") == 1
    sub.refresh_from_db()
    assert (sub.result, sub.http_status, sub.failures) == ("error", 429, 1)
    paused = HostPace.objects.get(host="127.0.0.1").next_at
    assert paused > timezone.now() + timedelta(seconds=500)


def test_a_claimed_check_is_not_claimed_again(owner):
    for n in range(5):
        feeds.subscribe(owner, f"https://feeds.example.org/{n}.xml")
    first = polling.claim_due(3, "w1")
    second = polling.claim_due(10, "w2")
    assert len(first) == 3 and len(second) == 2 and not set(first) & set(second)
    assert polling.claim_due(10, "w3") == []


def test_concurrent_workers_claim_each_check_once(owner):
    if connection.vendor == "sqlite":
        pytest.skip("concurrent writers need a server database (runs on PostgreSQL)")
    for n in range(30):
        feeds.subscribe(owner, f"https://feeds.example.org/{n}.xml")
    start = threading.Barrier(4)
    claimed: list[int] = []
    lock = threading.Lock()

    def worker(name: str) -> None:
        try:
            start.wait()
            won = polling.claim_due(30, name)
            with lock:
                claimed.extend(won)
        finally:
            connection.close()

    threads = [threading.Thread(target=worker, args=(f"w{n}",)) for n in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(claimed) == sorted(Subscription.objects.values_list("pk", flat=True))
