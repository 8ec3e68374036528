"""A feed that fails is asked again later each time (doubling, capped), the error and its
reason are recorded, and the subscription page says why in the reader's language; an answer
that works sets the wait back."""

from datetime import timedelta

import pytest
from django.test import override_settings
from django.utils import timezone

from linkhome.imports import feeds, polling
from linkhome.imports.models import Subscription
from linkhome.testing.factories import client_for
from linkhome.testing.feed_site import FeedSite, rss

pytestmark = pytest.mark.django_db(transaction=True)


def poll_now(sub: Subscription) -> Subscription:
    Subscription.objects.filter(pk=sub.pk).update(
        next_check_at=timezone.now() - timedelta(seconds=1)
    )
    assert polling.poll_due(10, "test") == 1
    sub.refresh_from_db()
    return sub


def wait_of(sub: Subscription) -> float:
    return (sub.next_check_at - sub.checked_at).total_seconds()


@override_settings(FEED_POLL_SECONDS=100, FEED_BACKOFF_MAX_SECONDS=350)
def test_a_failing_feed_backs_off_and_the_page_says_why(owner, http_server):
    site = FeedSite(http_server)
    site.status = 500
    sub = feeds.subscribe(owner, site.url).subscription

    sub = poll_now(sub)
    assert (sub.result, sub.error_code, sub.http_status, sub.failures) == (
        "error",
        "status",
        500,
        1,
    )
    assert wait_of(sub) == pytest.approx(200, abs=2)
    sub = poll_now(sub)
    assert sub.failures == 2 and wait_of(sub) == pytest.approx(350, abs=2)  # capped

    page = client_for(owner).get(f"/subscriptions/{sub.pk}/")
    assert page.status_code == 200
    assert "服务器返回了 500" in page.content.decode()
    english = client_for(owner).get(f"/subscriptions/{sub.pk}/", HTTP_ACCEPT_LANGUAGE="en")
    assert "the server answered 500" in english.content.decode()

    site.status, site.body = 200, b"<html><body>not a feed</body></html>"
    sub = poll_now(sub)
    assert (sub.error_code, sub.failures) == ("not_a_feed", 3)
    assert (
        "这不是 RSS 或 Atom 订阅源"
        in client_for(owner).get(f"/subscriptions/{sub.pk}/").content.decode()
    )

    site.body = rss("Back", [("https://a.example.org/1", "One", None)])
    sub = poll_now(sub)
    assert (sub.result, sub.failures, sub.error) == ("ok", 0, "")
    assert wait_of(sub) == pytest.approx(100, abs=2)


def test_an_unreachable_feed_is_an_error_with_the_reason(owner, http_server):
    url = http_server.url("/feed.xml")
    http_server.close()  # nothing listens there any more
    sub = feeds.subscribe(owner, url).subscription
    sub = poll_now(sub)
    assert (sub.result, sub.error_code, sub.failures) == ("error", "fetch", 1)
    assert "127.0.0.1" in sub.error
    assert feeds.result_text(sub).startswith("无法获取订阅源")
