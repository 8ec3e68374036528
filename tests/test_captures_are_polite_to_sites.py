"""Captures are polite to the sites: at most LINKHOME_HOST_REQUESTS page requests at once to a
host and LINKHOME_HOST_DELAY seconds between their starts, across every capture thread (and
so every worker, whose state is the same database); a 429 or 503 with Retry-After pauses the
host, and a capture that would wait too long goes back to the queue without losing an
attempt. Observed at a real local server."""

import threading
import time
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime

import pytest
from django.db import connection
from django.utils import timezone

from linkhome.archive.models import Snapshot
from linkhome.hosts import pace
from linkhome.hosts.models import HostPace, HostSlot
from linkhome.lib.retry_after import retry_after_seconds
from linkhome.links.services import add_link
from linkhome.worker.sequence import capture_and_follow

pytestmark = pytest.mark.django_db(transaction=True)
PAGE = b"<html><head><title>t</title></head><body><p>polite</p></body></html>"
HTML = [("Content-Type", "text/html; charset=utf-8")]
# The turn is taken before the request is sent; the server sees it a little later, by a
# varying amount on a loaded machine. Without the delay the gaps are a few milliseconds.
JITTER = 0.1


class Watch:
    """Records when each page request started and how many were in flight at once."""

    def __init__(self, hold: float) -> None:
        self.hold = hold
        self.starts: list[float] = []
        self.in_flight = 0
        self.most = 0
        self.lock = threading.Lock()

    def __call__(self, request):  # noqa: ANN001, ANN204 - the test server's handler
        with self.lock:
            self.starts.append(time.monotonic())
            self.in_flight += 1
            self.most = max(self.most, self.in_flight)
        time.sleep(self.hold)
        with self.lock:
            self.in_flight -= 1
        return 200, HTML, PAGE


def capture_all(snapshot_ids: list[int]) -> None:
    def run(snapshot_id: int) -> None:
        try:
            capture_and_follow(snapshot_id, f"t-{snapshot_id}")
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i,)) for i in snapshot_ids]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()


def concurrent_threads():
    """Threads writing at once need a server database: the SQLite test database is in
    memory with a shared cache, whose table locks fail at once instead of waiting (the
    embedded production database is a file in WAL mode, which waits)."""
    if connection.vendor == "sqlite":
        pytest.skip("concurrent writers need a server database (runs on PostgreSQL)")


def gaps(starts: list[float]) -> list[float]:
    ordered = sorted(starts)
    return [b - a for a, b in zip(ordered, ordered[1:], strict=False)]


def test_the_delay_is_kept_between_one_captures_start_and_the_next(owner, http_server, settings):
    settings.HOST_REQUESTS, settings.HOST_DELAY, settings.HOST_MAX_WAIT = 1, 0.5, 30
    watch = Watch(hold=0)
    for n in range(3):
        http_server.route(f"/p{n}", handler=watch)
    for n in range(3):
        capture_and_follow(add_link(owner, http_server.url(f"/p{n}")).snapshot.pk)
    assert set(Snapshot.objects.values_list("status", flat=True)) == {"succeeded"}
    # Each start may reach the server late by a varying amount (seen: 0.15 s on a loaded
    # machine), which shortens one gap as it lengthens the one before; so the spread from
    # the first start to the last, and each gap, with room for that (without the delay the
    # gaps are a few milliseconds).
    spread = max(watch.starts) - min(watch.starts)
    assert spread / (len(watch.starts) - 1) >= 0.5 - JITTER
    assert min(gaps(watch.starts)) >= 0.5 / 2


def test_one_request_at_a_time_across_threads(owner, http_server, settings):
    concurrent_threads()
    settings.HOST_REQUESTS, settings.HOST_DELAY, settings.HOST_MAX_WAIT = 1, 0, 30
    watch = Watch(hold=0.2)
    for n in range(4):
        http_server.route(f"/p{n}", handler=watch)
    capture_all([add_link(owner, http_server.url(f"/p{n}")).snapshot.pk for n in range(4)])
    assert set(Snapshot.objects.values_list("status", flat=True)) == {"succeeded"}
    assert watch.most == 1


def test_the_delay_holds_across_threads(owner, http_server, settings):
    """Four threads at once, answered at once: without the pace the starts would be
    milliseconds apart."""
    concurrent_threads()
    settings.HOST_REQUESTS, settings.HOST_DELAY, settings.HOST_MAX_WAIT = 4, 1.0, 30
    watch = Watch(hold=0)
    for n in range(4):
        http_server.route(f"/p{n}", handler=watch)
    capture_all([add_link(owner, http_server.url(f"/p{n}")).snapshot.pk for n in range(4)])
    assert set(Snapshot.objects.values_list("status", flat=True)) == {"succeeded"}
    assert min(gaps(watch.starts)) >= 1.0 - 2.5 * JITTER


def test_two_at_once_when_the_setting_allows_two(owner, http_server, settings):
    concurrent_threads()
    settings.HOST_REQUESTS, settings.HOST_DELAY, settings.HOST_MAX_WAIT = 2, 0, 30
    watch = Watch(hold=0.5)
    for n in range(4):
        http_server.route(f"/p{n}", handler=watch)
    capture_all([add_link(owner, http_server.url(f"/p{n}")).snapshot.pk for n in range(4)])
    assert watch.most == 2


def test_retry_after_pauses_the_host_and_requeues_the_capture(owner, http_server, settings):
    settings.HOST_DELAY, settings.HOST_MAX_WAIT = 0, 0.5
    http_server.route("/busy", status=429, headers=[("Retry-After", "120")], body=b"slow down")
    http_server.route("/other", body=PAGE, headers=HTML)
    busy = capture_and_follow(add_link(owner, http_server.url("/busy")).snapshot.pk)
    assert busy.status == "queued"
    assert busy.retry_after >= timezone.now() + timedelta(seconds=110)
    assert "429" in busy.error
    assert HostPace.objects.get(host="127.0.0.1").next_at >= busy.retry_after - timedelta(seconds=2)
    # Another page of the same host waits for the pause: back to the queue, no attempt spent.
    asked = len(http_server.requests)
    other = capture_and_follow(add_link(owner, http_server.url("/other")).snapshot.pk)
    assert other.status == "queued" and other.attempts == 0
    assert "site's turn" in other.error
    assert len(http_server.requests) == asked  # the site was not asked


def test_retry_after_as_a_date_is_obeyed_too(owner, http_server, settings):
    settings.HOST_DELAY = 0
    when = format_datetime(datetime.now(UTC) + timedelta(seconds=300), usegmt=True)
    http_server.route("/down", status=503, headers=[("Retry-After", when)], body=b"")
    down = capture_and_follow(add_link(owner, http_server.url("/down")).snapshot.pk)
    assert down.status == "queued"
    assert down.retry_after >= timezone.now() + timedelta(seconds=280)


def test_a_pause_is_capped_by_the_setting(owner, http_server, settings):
    settings.HOST_DELAY, settings.RETRY_AFTER_MAX = 0, 60
    http_server.route("/busy", status=429, headers=[("Retry-After", "999999")], body=b"")
    busy = capture_and_follow(add_link(owner, http_server.url("/busy")).snapshot.pk)
    assert busy.retry_after <= timezone.now() + timedelta(seconds=61)


def test_a_slot_left_by_a_killed_holder_frees_when_its_lease_ends(settings):
    settings.HOST_REQUESTS, settings.HOST_DELAY = 1, 0
    HostSlot.objects.create(
        host="example.org", slot=0, holder="dead", expires_at=timezone.now() + timedelta(hours=1)
    )
    settings.HOST_MAX_WAIT = 0.2
    with pytest.raises(pace.HostBusy), pace.turn("https://example.org/a"):
        pass
    HostSlot.objects.filter(holder="dead").update(expires_at=timezone.now())
    with pace.turn("https://example.org/a"):
        assert HostSlot.objects.get(host="example.org").holder != "dead"
    assert HostSlot.objects.get(host="example.org").holder == ""


@pytest.mark.parametrize(
    ("header", "expected"),
    [("120", 120.0), (" 0 ", 0.0), ("", None), (None, None), ("soon", None), ("-5", None)],
)
def test_retry_after_values(header, expected):
    assert retry_after_seconds(header) == expected


def test_retry_after_dates_in_the_past_mean_now():
    past = format_datetime(datetime.now(UTC) - timedelta(days=1), usegmt=True)
    assert retry_after_seconds(past) == 0.0
