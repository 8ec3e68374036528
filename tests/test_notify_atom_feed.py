"""A person's notifications as an Atom feed at a secret address, read with feedparser (a
feed reader someone else wrote): their own links only, private ones included; a wrong or
revoked address is a 404; a new address is made on the account page."""

import feedparser
import pytest

from linkhome.notify import preferences
from linkhome.testing.factories import client_for
from tests.notify_support import HTML, changed_event, check_again, watched

pytestmark = pytest.mark.django_db


def feed_path(user) -> str:
    return f"/notifications/feed/{preferences.channels_of(user).feed_key}/"


def test_the_feed_lists_the_persons_notifications(http_server, owner, other_user):
    changed = changed_event(http_server, owner, "/a", visibility="private")
    dead = watched(http_server, owner, "/b", title="旧城改造")
    http_server.route("/b", body=b"gone", status=404, headers=HTML)
    check_again(dead)
    theirs = changed_event(http_server, other_user, "/c", title="第三篇")

    answer = client_for().get(feed_path(owner))  # no sign-in: feed readers have none
    assert answer.status_code == 200
    assert answer["Content-Type"].startswith("application/atom+xml")
    parsed = feedparser.parse(answer.content)
    assert not parsed.bozo, parsed.bozo_exception
    assert parsed.version == "atom10"
    assert parsed.feed.title == "link之家：已变更和已失效的网页"
    titles = [entry.title for entry in parsed.entries]
    assert titles == ["页面已失效：旧城改造", "页面已变更：城市更新"]  # newest first
    gone_entry, changed_entry = parsed.entries
    assert changed_entry.link.endswith(f"/s/{changed.compared_with_id}/diff/{changed.snapshot_id}/")
    assert changed.url in changed_entry.content[0].value
    assert [t.term for t in changed_entry.tags] == ["changed"]
    assert "404" in gone_entry.content[0].value
    # Someone else's notification is in their feed only.
    assert theirs.url not in answer.content.decode()
    other_feed = feedparser.parse(client_for().get(feed_path(other_user)).content)
    assert [entry.title for entry in other_feed.entries] == ["页面已变更：第三篇"]
    assert changed.url not in str(other_feed)


def test_the_feed_is_in_the_language_the_person_chose(http_server, owner):
    changed_event(http_server, owner)
    preferences.set_channels(owner, preferences.ChannelChoice(False, "", "", "", "en"))
    parsed = feedparser.parse(client_for().get(feed_path(owner)).content)
    assert parsed.feed.title == "LinkHome: changed and dead pages"
    assert [entry.title for entry in parsed.entries] == ["Page changed: 城市更新"]


def test_a_wrong_or_revoked_address_is_a_404(http_server, owner):
    changed_event(http_server, owner)
    old = feed_path(owner)
    assert client_for().get("/notifications/feed/not-a-key/").status_code == 404

    page = client_for(owner).post("/accounts/notifications/feed/new/")
    assert page.status_code == 302
    assert client_for().get(old).status_code == 404
    new = feed_path(owner)
    assert new != old
    assert feedparser.parse(client_for().get(new).content).entries
    # The account page shows the new address, and only to its owner.
    assert new in client_for(owner).get("/accounts/notifications/").content.decode()
    assert client_for().get("/accounts/notifications/").status_code == 302  # sign in first
