"""Subscribing to a feed: the worker's poll-feeds job fetches it and its entries become the
subscriber's links, with the subscription's tags and visibility, the entries' dates as
saved dates, and captures in the bulk lane."""

from datetime import UTC, datetime

import pytest
from django_tasks_db.models import DBTaskResult

from linkhome.archive.models import Snapshot
from linkhome.imports import feeds
from linkhome.imports.models import FeedResult
from linkhome.links.models import Link
from linkhome.links.services import link_tag_names
from linkhome.testing.feed_site import FeedSite, rss
from linkhome.worker.priorities import BULK
from linkhome.worker.schedule import JOBS, run_due

pytestmark = pytest.mark.django_db(transaction=True)
POLL = tuple(job for job in JOBS if job.name == "poll-feeds")
DAY = datetime(2024, 3, 1, 8, 30, tzinfo=UTC)


def test_the_first_poll_adds_every_entry_as_a_link(owner, http_server):
    site = FeedSite(http_server)
    site.body = rss(
        "一个博客",
        [
            ("https://blog.example.org/2", "第二篇", DAY),
            ("https://blog.example.org/1", "First post", None),
        ],
    )
    made = feeds.subscribe(owner, site.url, tags=["订阅", "blog"], visibility="private")
    assert made.created and made.subscription.result == FeedResult.NEVER

    assert run_due("w1", POLL) == ["poll-feeds"]

    sub = feeds.get_subscription(owner, made.subscription.pk)
    assert (sub.title, sub.result, sub.added, sub.refused, sub.failures) == (
        "一个博客",
        "ok",
        2,
        0,
        0,
    )
    assert sub.checked_at is not None and sub.next_check_at > sub.checked_at
    links = {link.url: link for link in Link.objects.filter(owner=owner)}
    assert set(links) == {"https://blog.example.org/1", "https://blog.example.org/2"}
    second = links["https://blog.example.org/2"]
    assert second.title == "第二篇" and second.visibility == "private"
    assert second.created_at == DAY  # the entry's date is the link's saved date
    assert sorted(link_tag_names(second)) == ["blog", "订阅"]
    for link in links.values():
        snapshot = Snapshot.objects.get(link=link)
        tasks = DBTaskResult.objects.filter(args_kwargs__args=[snapshot.pk])
        assert [(t.queue_name, t.priority) for t in tasks] == [(BULK.queue_name, BULK.priority)]
    # The page and the API say the same.
    assert [e["title"] for e in feeds.summary(sub)["latest"]] == ["第二篇", "First post"]


def test_subscribing_twice_is_one_subscription(owner, http_server):
    site = FeedSite(http_server)
    first = feeds.subscribe(owner, site.url)
    again = feeds.subscribe(owner, site.url, tags=["x"])
    assert again.created is False and again.subscription.pk == first.subscription.pk
    assert first.subscription.visibility == "public"


def test_the_page_subscribes_and_shows_each_check(owner, http_server):
    from linkhome.testing.factories import client_for

    client = client_for(owner)
    assert "订阅一个订阅源" in client.get("/subscriptions/").content.decode()
    assert "/subscriptions/" in client.get("/imports/").content.decode()
    refused = client.post("/subscriptions/", {"url": "javascript:alert(1)"})
    assert refused.status_code == 400 and 'id="subscribe-error"' in refused.content.decode()

    site = FeedSite(http_server)
    site.body = rss("小站", [("https://blog.example.org/1", "第一篇", DAY)])
    made = client.post(
        "/subscriptions/", {"url": site.url, "tags": "读, 博客", "visibility": "private"}
    )
    assert made.status_code == 302
    before = client.get(made["Location"]).content.decode()
    assert "尚未检查" in before and 'id="next-check"' in before

    run_due("w1", POLL)
    page = client.get(made["Location"]).content.decode()
    assert "小站" in page and "正常" in page and "第一篇" in page
    assert "新增 1，已有 0（补上了标签），拒收 0" in page
    listing = client.get("/subscriptions/").content.decode()
    assert "小站" in listing and "新增 1" in listing
