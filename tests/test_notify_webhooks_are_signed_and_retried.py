"""Webhooks: the worker POSTs each notification as JSON signed with the person's secret to a
real HTTP receiver on 127.0.0.1, which checks the signature itself; a receiver that fails
twice gets it on the third attempt, each retry after a doubled wait; the address follows
the capture's rules (no private address unless the instance allows it)."""

import hashlib
import hmac
import json
from datetime import timedelta

import pytest
from django.utils import timezone

from linkhome.notify import delivery, preferences
from linkhome.notify.models import Delivery
from linkhome.worker import schedule
from tests.notify_support import changed_event

pytestmark = pytest.mark.django_db
SECRET = "a-secret-only-the-receiver-knows"


class Receiver:
    """Answers `failures` times with 500, then 204; keeps what it was sent and whether the
    signature was right, computed here from the bytes received."""

    def __init__(self, http_server, failures: int = 0) -> None:
        self.failures = failures
        self.received: list[dict] = []
        self.url = http_server.route("/hook", handler=self.handle)

    def handle(self, request):
        body = request.rfile.read(int(request.headers["Content-Length"]))
        expected = "sha256=" + hmac.new(SECRET.encode(), body, hashlib.sha256).hexdigest()
        self.received.append(
            {
                "method": request.command,
                "body": json.loads(body),
                "signed": hmac.compare_digest(request.headers["X-LinkHome-Signature"], expected),
                "type": request.headers["Content-Type"],
                "delivery": request.headers["X-LinkHome-Delivery"],
                "event": request.headers["X-LinkHome-Event"],
            }
        )
        if len(self.received) <= self.failures:
            return 500, [], b"try later"
        return 204, [], b""


def with_webhook(owner, url: str, secret: str = SECRET) -> None:
    choice = preferences.ChannelChoice(False, "", url, secret, "zh-hans")
    preferences.set_channels(owner, choice)


def test_the_receiver_gets_a_signed_json_notification(http_server, owner):
    receiver = Receiver(http_server)
    with_webhook(owner, receiver.url)
    event = changed_event(http_server, owner)
    # Nothing is sent while the page is checked: delivery is the worker's job, later.
    assert receiver.received == []

    assert "notify-deliveries" in schedule.run_due("worker-1")
    [got] = receiver.received
    assert got["signed"] and got["method"] == "POST"
    assert got["type"].startswith("application/json")
    assert got["event"] == "changed"
    body = got["body"]
    assert body["id"] == event.pk and body["kind"] == "changed"
    assert body["link"] == {"id": event.link_id, "url": event.url, "title": "城市更新"}
    assert body["snapshot"] == event.snapshot_id
    assert body["diff_url"].endswith(f"/s/{event.compared_with_id}/diff/{event.snapshot_id}/")
    sent = Delivery.objects.get()
    assert (sent.status, sent.attempts, sent.last_status) == ("delivered", 1, 204)
    assert got["delivery"] == str(sent.pk)

    delivery.deliver_due(10, "worker-2", now=timezone.now() + timedelta(days=1))
    assert len(receiver.received) == 1  # delivered once; nothing due any more


def test_a_wrong_secret_does_not_verify(http_server, owner):
    receiver = Receiver(http_server)
    with_webhook(owner, receiver.url, secret="another-secret-of-enough-length")
    changed_event(http_server, owner)
    delivery.deliver_due(10, "worker-1")
    assert [r["signed"] for r in receiver.received] == [False]


def test_a_receiver_that_fails_twice_gets_it_on_the_third_try_after_backoff(
    http_server, owner, settings
):
    settings.NOTIFY_RETRY_SECONDS = 60
    receiver = Receiver(http_server, failures=2)
    with_webhook(owner, receiver.url)
    changed_event(http_server, owner)
    row = Delivery.objects.get

    now = timezone.now()
    assert delivery.deliver_due(10, "w", now=now) == 1
    first = row()
    assert (first.status, first.attempts, first.last_status) == ("pending", 1, 500)
    assert first.next_at == now + timedelta(seconds=60)
    assert delivery.deliver_due(10, "w", now=now + timedelta(seconds=59)) == 0  # waits
    assert len(receiver.received) == 1

    now = first.next_at
    assert delivery.deliver_due(10, "w", now=now) == 1
    second = row()
    assert (second.status, second.attempts) == ("pending", 2)
    assert second.next_at == now + timedelta(seconds=120)  # the wait doubles
    assert delivery.deliver_due(10, "w", now=now + timedelta(seconds=119)) == 0

    assert delivery.deliver_due(10, "w", now=second.next_at) == 1
    third = row()
    assert (third.status, third.attempts, third.last_status) == ("delivered", 3, 204)
    assert len(receiver.received) == 3
    assert all(r["signed"] for r in receiver.received)
    assert len({r["delivery"] for r in receiver.received}) == 1  # the same delivery, retried


def test_it_gives_up_after_the_last_attempt(http_server, owner, settings):
    settings.NOTIFY_MAX_ATTEMPTS = 2
    receiver = Receiver(http_server, failures=99)
    with_webhook(owner, receiver.url)
    changed_event(http_server, owner)
    later = timezone.now() + timedelta(days=30)
    delivery.deliver_due(10, "w")
    delivery.deliver_due(10, "w", now=later)
    delivery.deliver_due(10, "w", now=later + timedelta(days=30))
    failed = Delivery.objects.get()
    assert (failed.status, failed.attempts) == ("failed", 2)
    assert len(receiver.received) == 2


def test_private_addresses_are_refused_unless_the_instance_allows_them(
    http_server, owner, settings
):
    receiver = Receiver(http_server)
    settings.ALLOW_PRIVATE_NETWORKS = False
    for address in ("http://127.0.0.1:9/hook", "http://10.1.2.3/hook", "ftp://example.com/"):
        with pytest.raises(preferences.NotifyError):
            with_webhook(owner, address)

    # Saved while allowed, then the instance stops allowing it: refused when connecting,
    # before a byte is sent, and not tried again (the address stays refused).
    settings.ALLOW_PRIVATE_NETWORKS = True
    with_webhook(owner, receiver.url)
    changed_event(http_server, owner)
    settings.ALLOW_PRIVATE_NETWORKS = False
    delivery.deliver_due(10, "w")
    refused = Delivery.objects.get()
    assert refused.status == "failed" and refused.attempts == 1
    assert (
        "Refused" in refused.last_error and "LINKHOME_ALLOW_PRIVATE_NETWORKS" in refused.last_error
    )
    assert receiver.received == []
