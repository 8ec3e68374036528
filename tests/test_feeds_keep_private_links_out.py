"""A private link is in no public feed, tag feed or search feed, for anyone: a signed-out
reader, another person, and its owner (whose public feeds are public too). Only the owner's
private feed, at its secret address, carries it."""

from urllib.parse import quote, unquote

import pytest

from linkhome.accounts.services import new_feed_address
from linkhome.links.services import edit_link
from linkhome.testing.factories import client_for, kept
from tests.feeds_support import read_feed, snapshot_ids

pytestmark = pytest.mark.django_db(transaction=True)

TITLE = "绝密计划zx81q"
TAG = "机密标签k9"
TEXT = "只有主人能看到的正文qw77，不该出现在任何公开订阅里。"


@pytest.fixture
def links(owner):
    secret = kept(
        owner,
        "https://secret.example.org/plan",
        TEXT,
        title=TITLE,
        tags=[TAG, "共享"],
        visibility="private",
    )
    public = kept(
        owner, "https://open.example.org/page", "公开的正文", title="公开页面", tags=["共享"]
    )
    return secret, public


def public_feeds(owner) -> list[str]:
    urls = []
    for fmt in ("atom", "rss"):
        urls += [
            f"/feeds/latest.{fmt}",
            f"/people/{owner.pk}/feed.{fmt}",
            f"/tags/{quote(TAG)}/feed.{fmt}",
            f"/tags/{quote('共享')}/feed.{fmt}",
            f"/search/feed.{fmt}?q={quote(TITLE)}",
            f"/search/feed.{fmt}?q={quote('qw77')}",
            f"/search/feed.{fmt}?q={quote('tag:' + TAG)}",
            f"/search/feed.{fmt}?q=is:mine",
            f"/search/feed.{fmt}?q={quote('site:secret.example.org')}",
        ]
    return urls


@pytest.mark.parametrize("reader", ["signed out", "another person", "the owner"])
def test_no_public_feed_shows_a_private_link(links, owner, other_user, reader):
    secret, public = links
    client = client_for(
        {"signed out": None, "another person": other_user, "the owner": owner}[reader]
    )
    for url in public_feeds(owner):
        response = client.get(url)
        assert response.status_code == 200, url
        body = response.content.decode()
        asked = unquote(url)  # a feed may echo what was asked (its title says the tag)
        for marker in (TITLE, TAG, "qw77", "secret.example.org", f"/s/{secret.pk}/"):
            assert marker in asked or marker not in body, (url, marker)
        assert secret.pk not in snapshot_ids(read_feed(client, url))
    # the feeds are not empty for want of anything to show
    assert snapshot_ids(read_feed(client, f"/tags/{quote('共享')}/feed.atom")) == [public.pk]
    assert snapshot_ids(read_feed(client, f"/people/{owner.pk}/feed.rss")) == [public.pk]


def test_the_owners_private_feed_carries_it_and_no_one_elses(links, owner, other_user):
    secret, public = links
    kept(
        other_user,
        "https://other.example.org/x",
        "别人的",
        title="别人的私密",
        visibility="private",
    )
    for fmt in ("atom", "rss"):
        feed = read_feed(client_for(), f"/feeds/private/{new_feed_address(owner)}.{fmt}")
        assert snapshot_ids(feed) == [public.pk, secret.pk]
        entry = feed.entries[1]
        assert entry.title == TITLE and "qw77" in entry.summary
        assert sorted(t.term for t in entry.tags) == sorted([TAG, "共享"])
        assert "别人的私密" not in str(feed)
    others = read_feed(client_for(), f"/feeds/private/{new_feed_address(other_user)}.atom")
    assert [e.title for e in others.entries] == ["别人的私密"]


def test_a_link_made_private_leaves_the_public_feeds_at_once(links, owner):
    _, public = links
    url = f"/people/{owner.pk}/feed.atom"
    assert snapshot_ids(read_feed(client_for(), url)) == [public.pk]
    edit_link(public.link, title="", note="", tags=["共享"], visibility="private")
    assert client_for().get(url).status_code == 404  # nothing public left: no one there
    for feed_url in (
        "/feeds/latest.atom",
        f"/tags/{quote('共享')}/feed.rss",
        f"/search/feed.atom?q={quote('公开的正文')}",
    ):
        assert snapshot_ids(read_feed(client_for(), feed_url)) == [], feed_url
