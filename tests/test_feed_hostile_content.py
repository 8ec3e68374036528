"""What a feed can throw at the poller: a body past LINKHOME_FEED_MAX_BYTES, bytes that are
not a feed at all (one that names a local file, too), entries whose addresses are
javascript:, file: or on a private network, entries with no address. Each is refused and
said; a refused entry is counted once; no private address is ever fetched or kept."""

from datetime import timedelta

import pytest
from django.test import override_settings
from django.utils import timezone

from linkhome.imports import feeds, polling
from linkhome.imports.models import FeedEntry, Subscription
from linkhome.lib.safe_http import Limits, SafeClient
from linkhome.links.models import Link
from linkhome.testing.factories import client_for
from linkhome.testing.feed_site import FeedSite, rss

pytestmark = pytest.mark.django_db(transaction=True)


def loopback(host: str, port: int) -> list[str]:
    return ["127.0.0.1"]


def poll_now(sub: Subscription, client: SafeClient | None = None) -> Subscription:
    Subscription.objects.filter(pk=sub.pk).update(
        next_check_at=timezone.now() - timedelta(seconds=1)
    )
    assert polling.poll_due(10, "test", client=client) == 1
    sub.refresh_from_db()
    return sub


@override_settings(FEED_MAX_BYTES=4096)
def test_a_feed_past_the_size_limit_is_an_error(owner, http_server):
    site = FeedSite(http_server)
    site.body = rss("Big", [(f"https://a.example.org/{i}", "x" * 100, None) for i in range(100)])
    sub = poll_now(feeds.subscribe(owner, site.url).subscription)
    assert (sub.result, sub.error_code, sub.added) == ("error", "fetch", 0)
    assert "4 KB" in sub.error
    said = feeds.result_text(sub)
    assert said.startswith("无法获取订阅源：") and "超过了 4 KB 的上限" in said
    assert not Link.objects.exists()


@pytest.mark.parametrize(
    "body",
    [b"<html><body><p>hello</p></body></html>", b"/etc/passwd", b"\x00\xff" * 100, b"{}"],
)
def test_bytes_that_are_not_a_feed_are_an_error(owner, http_server, body):
    site = FeedSite(http_server)
    site.body = body
    sub = poll_now(feeds.subscribe(owner, site.url).subscription)
    assert (sub.result, sub.error_code, sub.added) == ("error", "not_a_feed", 0)
    assert "root:" not in sub.error and "root:" not in sub.title


def test_entries_with_unsafe_addresses_are_refused_and_counted_once(owner, http_server):
    # The feed's host is a name trusted to resolve to the test server; private networks are
    # otherwise refused, as on a real instance.
    client = SafeClient(
        Limits(allow_private=False), resolver=loopback, trusted_hosts=["feeds.example"]
    )
    site = FeedSite(http_server)
    site.body = rss(
        "Hostile <b>feed</b>",
        [
            ("https://ok.example.org/1", "<script>alert(1)</script>", None),
            ("javascript:alert(document.cookie)", "js", None),
            ("file:///etc/passwd", "file", None),
            ("http://10.0.0.1/admin", "ten", None),
            (f"http://127.0.0.1:{http_server.port}/secret", "loopback", None),
            ("http://[::1]/", "six", None),
            ("data:text/html,<h1>x</h1>", "data", None),
        ],
    )
    url = f"http://feeds.example:{http_server.port}/feed.xml"
    sub = poll_now(feeds.subscribe(owner, url).subscription, client)
    assert (sub.result, sub.added, sub.refused) == ("ok", 1, 6)
    assert list(Link.objects.values_list("url", flat=True)) == ["https://ok.example.org/1"]
    codes = dict(FeedEntry.objects.filter(outcome="refused").values_list("title", "code"))
    assert codes == {
        "js": "scheme",
        "file": "scheme",
        "data": "scheme",
        "ten": "private",
        "loopback": "private",
        "six": "private",
    }
    assert [path for _, path, _ in http_server.requests] == ["/feed.xml"]

    site.body += b"\n"  # read again: the refused entries are not counted twice
    sub = poll_now(sub, client)
    assert (sub.added, sub.refused) == (1, 6)

    page = client_for(owner).get(f"/subscriptions/{sub.pk}/").content.decode()
    assert "<script>alert(1)</script>" not in page and "&lt;script&gt;" in page
    assert "内网或本机地址" in page and "不是 http 或 https 地址" in page


def test_characters_no_database_takes_are_dropped_or_the_feed_refused(owner, http_server):
    site = FeedSite(http_server)
    site.body = (
        b'<rss version="2.0"><channel><title>T&#0;itle\x01</title>'
        b"<item><title>a&#1;b\x00c</title><link>https://nul.example.org/a&#0;b</link></item>"
        b"</channel></rss>"
    )
    sub = poll_now(feeds.subscribe(owner, site.url).subscription)
    assert (sub.result, sub.title, sub.added) == ("ok", "Title", 1)
    assert Link.objects.get().url == "https://nul.example.org/ab"
    assert Link.objects.get().title == "abc"

    site.body = b'<rss version="2.0"><channel><item><title>&#xD800;</title></item></channel></rss>'
    sub = poll_now(sub)
    assert (sub.result, sub.error_code) == ("error", "not_a_feed")
