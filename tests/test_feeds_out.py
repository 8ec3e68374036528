"""Atom and RSS 2.0 feeds of the public list, a person, a tag and a search, read back with
feedparser: what each item carries, which items, how many, in how many queries, and how each
page announces its feed."""

import re
from datetime import UTC, datetime, timedelta
from urllib.parse import quote

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from lxml import html

from linkhome.accounts.services import new_feed_address
from linkhome.links.services import add_link
from linkhome.testing.factories import client_for, finished, kept
from tests.feeds_support import read_feed, snapshot_ids

pytestmark = pytest.mark.django_db(transaction=True)

FORMATS = ["atom", "rss"]
TEXT = "北京的秋天很美。" * 80 + " The end."
SAVED = datetime(2021, 5, 6, 7, 8, 9, tzinfo=UTC)
TAKEN = datetime(2024, 1, 2, 3, 4, 5, tzinfo=UTC)


def nickname(user) -> str:
    return user.profile.nickname


@pytest.fixture
def story(owner):
    snapshot = kept(
        owner,
        "https://news.example.org/autumn",
        TEXT,
        title="北京的秋天",
        tags=["旅行", "北京"],
        captured=TAKEN,
    )
    from linkhome.links.models import Link

    Link.objects.filter(pk=snapshot.link_id).update(created_at=SAVED)
    return snapshot


@pytest.mark.parametrize("fmt", FORMATS)
def test_the_public_feed_carries_title_keeper_tags_excerpt_and_dates(story, owner, fmt):
    feed = read_feed(client_for(), f"/feeds/latest.{fmt}")
    assert feed.version == ("atom10" if fmt == "atom" else "rss20")
    assert feed.feed.title == "link之家 · 最新快照"  # Chinese, the default language
    assert feed.feed.link == "http://testserver/"
    [entry] = feed.entries
    assert entry.link == f"http://testserver/s/{story.pk}/"
    assert entry.id == entry.link
    assert entry.title == "北京的秋天"
    assert entry.author == nickname(owner)
    assert sorted(tag.term for tag in entry.tags) == ["北京", "旅行"]
    assert entry.summary.startswith("北京的秋天很美。北京的秋天很美。")
    assert entry.summary.endswith("…") and len(entry.summary) <= 281
    if fmt == "atom":
        assert entry.published_parsed[:6] == SAVED.timetuple()[:6]  # the link's saved date
        assert entry.updated_parsed[:3] >= TAKEN.timetuple()[:3]
    else:
        assert entry.published_parsed[:6] == TAKEN.timetuple()[:6]  # pubDate: the snapshot's


@pytest.mark.parametrize("fmt", FORMATS)
def test_the_feed_title_follows_the_readers_language(story, fmt):
    feed = read_feed(client_for(), f"/feeds/latest.{fmt}", HTTP_ACCEPT_LANGUAGE="en")
    assert feed.feed.title == "link之家 · Latest snapshots"


def test_the_public_feed_keeps_the_home_pages_rule(owner):
    """Finished captures with a real title only, newest first: as the 最新快照 list."""
    good = kept(owner, "https://a.example.org/one", "text one", title="First page")
    newer = kept(owner, "https://a.example.org/two", "text two", title="Second page")
    failed = add_link(owner, "https://a.example.org/failed").snapshot
    finished(failed, "failed", "no answer")
    add_link(owner, "https://a.example.org/queued")  # still queued
    kept(owner, "https://a.example.org/files/chart.png", "", title="chart.png")  # no real title
    feed = read_feed(client_for(), "/feeds/latest.atom")
    assert snapshot_ids(feed) == [newer.pk, good.pk]
    home = client_for().get("/").content.decode()
    assert "First page" in home and "chart.png" not in home


@pytest.mark.parametrize("fmt", FORMATS)
def test_a_persons_feed_has_their_public_snapshots_only(owner, other_user, fmt):
    theirs = kept(owner, "https://b.example.org/mine", "mine", title="Owner's page")
    kept(other_user, "https://b.example.org/other", "other", title="Other's page")
    feed = read_feed(client_for(), f"/people/{owner.pk}/feed.{fmt}")
    assert snapshot_ids(feed) == [theirs.pk]
    assert nickname(owner) in feed.feed.title
    assert feed.feed.link == f"http://testserver/people/{owner.pk}/"


def test_a_person_who_does_not_exist_has_no_feed(owner):
    assert client_for().get("/people/999999/feed.atom").status_code == 404
    assert client_for().get("/people/999999/").status_code == 404


@pytest.mark.parametrize("fmt", FORMATS)
def test_a_tag_feed_gathers_everyones_public_snapshots_with_that_tag(owner, other_user, fmt):
    mine = kept(owner, "https://c.example.org/1", "x", title="Mine", tags=["新闻"])
    theirs = kept(other_user, "https://c.example.org/2", "y", title="Theirs", tags=["新闻"])
    kept(owner, "https://c.example.org/3", "z", title="Untagged", tags=["别的"])
    feed = read_feed(client_for(), f"/tags/{quote('新闻')}/feed.{fmt}")
    assert snapshot_ids(feed) == [theirs.pk, mine.pk]
    assert "新闻" in feed.feed.title


@pytest.mark.parametrize("fmt", FORMATS)
def test_a_search_feed_has_the_querys_public_results(owner, fmt):
    match = kept(owner, "https://d.example.org/1", "关于熊猫的文章，熊猫很可爱。", title="熊猫")
    kept(owner, "https://d.example.org/2", "一篇关于天气的文章。", title="天气")
    feed = read_feed(client_for(), f"/search/feed.{fmt}?q={quote('熊猫')}")
    assert snapshot_ids(feed) == [match.pk]
    assert "熊猫" in feed.entries[0].summary  # the search's own snippet
    assert "熊猫" in feed.feed.title


def test_a_search_feed_with_a_query_that_cannot_run_is_a_400(owner):
    response = client_for().get("/search/feed.atom?q=after:2024-13-45")
    assert response.status_code == 400


def test_an_empty_search_feed_is_an_empty_feed(owner):
    feed = read_feed(client_for(), "/search/feed.rss")
    assert feed.entries == []


def test_feeds_hold_at_most_the_configured_number_of_items(owner, settings):
    settings.FEED_ITEMS = 3
    start = datetime(2024, 1, 1, tzinfo=UTC)
    made = [
        kept(
            owner,
            f"https://e.example.org/{n}",
            "t",
            title=f"Page {n}",
            tags=["t"],
            captured=start + timedelta(hours=n),
        )
        for n in range(5)
    ]
    newest = [s.pk for s in reversed(made)][:3]
    for url in ("/feeds/latest.atom", f"/people/{owner.pk}/feed.rss", "/tags/t/feed.atom"):
        assert snapshot_ids(read_feed(client_for(), url)) == newest, url
    assert len(read_feed(client_for(), "/search/feed.atom?q=tag:t").entries) == 3


FEED_URLS = [
    "/feeds/latest.atom",
    "/people/{owner}/feed.rss",
    "/tags/t/feed.atom",
    "/search/feed.rss?q=tag:t",
    "/feeds/private/{secret}.atom",
]


@pytest.mark.parametrize("template", FEED_URLS)
def test_a_feed_costs_the_same_queries_for_two_items_or_ten(
    owner, other_user, template, django_assert_max_num_queries
):
    url = template.format(owner=owner.pk, secret=new_feed_address(owner))
    for n in range(2):
        kept(owner, f"https://f.example.org/{n}", "text", title=f"Page {n}", tags=["t", "u"])
    client = client_for()
    client.get(url)  # the search index's first-use check, sessions… out of the count
    with CaptureQueriesContext(connection) as few:
        assert len(read_feed(client, url).entries) == 2
    for n in range(2, 10):
        kept(owner, f"https://f.example.org/{n}", "text", title=f"Page {n}", tags=["t", "v"])
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert len(read_feed(client, url).entries) == 10


@pytest.mark.parametrize(
    ("page", "feed"),
    [
        ("/", "/feeds/latest.{fmt}"),
        ("/people/{owner}/", "/people/{owner}/feed.{fmt}"),
        (f"/tags/{quote('旅行')}/", f"/tags/{quote('旅行')}/feed.{{fmt}}"),
        (f"/search/?q={quote('秋天')}", f"/search/feed.{{fmt}}?q={quote('秋天')}"),
    ],
)
def test_each_page_announces_its_feeds(story, owner, page, feed):
    response = client_for().get(page.format(owner=owner.pk))
    tree = html.fromstring(response.content)
    announced = {
        link.get("type"): link.get("href") for link in tree.xpath("//head/link[@rel='alternate']")
    }
    for fmt, mime in (("atom", "application/atom+xml"), ("rss", "application/rss+xml")):
        href = announced[mime]
        assert href == feed.format(owner=owner.pk, fmt=fmt)
        assert story.pk in snapshot_ids(read_feed(client_for(), href)), href


def test_a_snapshot_keeper_links_to_their_page(story, owner):
    home = client_for().get("/").content.decode()
    assert re.search(rf'href="/people/{owner.pk}/"[^>]*>{nickname(owner)}<', home)
