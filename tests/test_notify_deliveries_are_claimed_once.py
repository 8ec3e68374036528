"""Many workers delivering at once send each notification once: each attempt is claimed
with one conditional UPDATE (notify.delivery.deliver_due). Real concurrent writers need a
server database: this runs on PostgreSQL (SQLite serialises writers; the sequential
behaviour is in test_notify_webhooks_are_signed_and_retried.py)."""

import threading

import pytest
from django.db import connection

from linkhome.links.models import Link
from linkhome.notify import delivery, preferences
from linkhome.notify.models import Delivery
from linkhome.testing.factories import kept

pytestmark = pytest.mark.django_db(transaction=True)
WORKERS = 4
EVENTS = 12
SECRET = "a-secret-only-the-receiver-knows"
TEXT = "今天上午，市政府召开新闻发布会，介绍了今年城市更新的最新进展。" * 4


def test_concurrent_workers_deliver_each_notification_once(http_server, owner):
    if connection.vendor == "sqlite":
        pytest.skip("concurrent writers need a server database (runs on PostgreSQL)")
    received: list[str] = []
    lock = threading.Lock()

    def receiver(request):
        request.rfile.read(int(request.headers["Content-Length"]))
        with lock:
            received.append(request.headers["X-LinkHome-Delivery"])
        return 204, [], b""

    url = http_server.route("/hook", handler=receiver)
    preferences.set_channels(owner, preferences.ChannelChoice(False, "", url, SECRET, "en"))
    for n in range(EVENTS):
        address = f"https://example.com/page/{n}"
        first = kept(owner, address, TEXT, title=f"第{n}篇")
        preferences.set_link_notify(Link.objects.get(pk=first.link_id), True)
        kept(owner, address, TEXT + f"（第{n}次更新）", title=f"第{n}篇", again=True)
    assert Delivery.objects.count() == EVENTS

    start = threading.Barrier(WORKERS)
    errors: list[BaseException] = []

    def worker(name: str) -> None:
        try:
            start.wait()
            delivery.deliver_due(EVENTS, name)
        except BaseException as exc:  # noqa: BLE001 - reported below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=worker, args=(f"w{n}",)) for n in range(WORKERS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    ids = [str(pk) for pk in Delivery.objects.values_list("pk", flat=True)]
    assert sorted(received) == sorted(ids)  # each once, none missed
    assert set(Delivery.objects.values_list("status", "attempts")) == {("delivered", 1)}
