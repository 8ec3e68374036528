"""A feed is asked again with If-None-Match: an unchanged feed answers 304 and nothing is
added; a new entry is added once, however often the feed lists it."""

from datetime import timedelta

import pytest
from django.utils import timezone

from linkhome.imports import feeds, polling
from linkhome.imports.models import FeedEntry, Subscription
from linkhome.links.models import Link
from linkhome.testing.feed_site import FeedSite, rss

pytestmark = pytest.mark.django_db(transaction=True)


def poll_now(subscription: Subscription) -> int:
    """Make the subscription due (as time passing would) and run the poll."""
    Subscription.objects.filter(pk=subscription.pk).update(
        next_check_at=timezone.now() - timedelta(seconds=1)
    )
    return polling.poll_due(10, "test")


def test_an_unchanged_feed_costs_a_304_and_adds_nothing(owner, http_server):
    site = FeedSite(http_server)
    site.body = rss("Feed", [("https://a.example.org/1", "One", None)])
    sub = feeds.subscribe(owner, site.url).subscription
    assert poll_now(sub) == 1
    first = site.requests()[-1]
    assert "if-none-match" not in first

    assert poll_now(sub) == 1
    second = site.requests()[-1]
    sub.refresh_from_db()
    assert second["if-none-match"] == sub.etag != ""
    assert (sub.result, sub.added, sub.failures) == ("not_modified", 1, 0)
    assert Link.objects.filter(owner=owner).count() == 1
    assert str(feeds.result_text(sub))  # said on the page


def test_a_new_entry_is_added_once(owner, http_server):
    site = FeedSite(http_server)
    site.body = rss("Feed", [("https://a.example.org/1", "One", None)])
    sub = feeds.subscribe(owner, site.url, tags=["t"]).subscription
    poll_now(sub)
    site.body = rss(
        "Feed", [("https://a.example.org/2", "Two", None), ("https://a.example.org/1", "One", None)]
    )
    poll_now(sub)
    poll_now(sub)  # 304
    site.body += b" "  # the same entries, a new ETag: read again, nothing new in it
    poll_now(sub)

    sub.refresh_from_db()
    assert (sub.added, sub.merged, sub.refused) == (2, 0, 0)
    assert sorted(Link.objects.filter(owner=owner).values_list("url", flat=True)) == [
        "https://a.example.org/1",
        "https://a.example.org/2",
    ]
    assert FeedEntry.objects.filter(subscription=sub).count() == 2


def test_an_entry_the_person_keeps_already_gets_the_tags(owner, http_server):
    from linkhome.links.services import add_link, link_tag_names

    mine = add_link(owner, "https://a.example.org/1", tags=["mine"], visibility="private").link
    site = FeedSite(http_server)
    site.body = rss("Feed", [("https://a.example.org/1", "One", None)])
    sub = feeds.subscribe(owner, site.url, tags=["from-feed"], visibility="public").subscription
    poll_now(sub)
    sub.refresh_from_db()
    mine.refresh_from_db()
    assert (sub.added, sub.merged) == (0, 1)
    assert sorted(link_tag_names(mine)) == ["from-feed", "mine"]
    assert mine.visibility == "private"  # a feed never makes a link public


@pytest.mark.django_db(transaction=True)
def test_entries_past_the_limit_wait_for_the_next_check(owner, http_server, settings):
    settings.FEED_MAX_ENTRIES = 2
    site = FeedSite(http_server)
    site.body = rss("Feed", [(f"https://a.example.org/{n}", f"#{n}", None) for n in (3, 2, 1)])
    sub = feeds.subscribe(owner, site.url).subscription
    poll_now(sub)
    sub.refresh_from_db()
    assert sub.added == 2 and sub.etag == ""  # read again next time, not a 304
    assert sorted(Link.objects.values_list("title", flat=True)) == ["#2", "#3"]
    poll_now(sub)
    sub.refresh_from_db()
    assert sub.added == 3 and sub.etag != ""
    assert "if-none-match" not in site.requests()[-1]
