"""Every feed sends ETag and Last-Modified; a reader that sends them back gets 304 until the
feed changes, and the whole feed again once it has."""

from datetime import UTC, datetime

import pytest
from django.utils.http import http_date, parse_http_date

from linkhome.accounts.services import new_feed_address
from linkhome.links.services import edit_link
from linkhome.testing.factories import client_for, kept

pytestmark = pytest.mark.django_db(transaction=True)

FEEDS = [
    "/feeds/latest.atom",
    "/feeds/latest.rss",
    "/people/{owner}/feed.atom",
    "/tags/news/feed.rss",
    "/search/feed.atom?q=tag:news",
    "/feeds/private/{secret}.rss",
]


@pytest.fixture
def feed_url(request, owner):
    def url(template: str) -> str:
        return template.format(owner=owner.pk, secret=new_feed_address(owner))

    return url


@pytest.mark.parametrize("template", FEEDS)
def test_a_feed_answers_304_until_it_changes(owner, template, feed_url):
    kept(owner, "https://a.example.org/1", "one", title="One", tags=["news"])
    url = feed_url(template)
    client = client_for()
    first = client.get(url)
    assert first.status_code == 200
    etag, modified = first["ETag"], first["Last-Modified"]
    assert etag.startswith('"') and etag.endswith('"')
    parse_http_date(modified)  # a valid HTTP date

    again = client.get(url)
    assert (again.status_code, again["ETag"]) == (200, etag)  # the same bytes each time
    assert client.get(url, HTTP_IF_NONE_MATCH=etag).status_code == 304
    assert client.get(url, HTTP_IF_MODIFIED_SINCE=modified).status_code == 304
    not_modified = client.get(url, HTTP_IF_NONE_MATCH=etag, HTTP_IF_MODIFIED_SINCE=modified)
    assert not_modified.status_code == 304 and not_modified.content == b""
    assert not_modified["ETag"] == etag

    long_ago = http_date(datetime(2001, 1, 1, tzinfo=UTC).timestamp())
    assert client.get(url, HTTP_IF_MODIFIED_SINCE=long_ago).status_code == 200
    assert client.get(url, HTTP_IF_NONE_MATCH='"something-else"').status_code == 200

    kept(owner, "https://a.example.org/2", "two", title="Two", tags=["news"])
    changed = client.get(url, HTTP_IF_NONE_MATCH=etag)
    assert changed.status_code == 200 and changed["ETag"] != etag
    assert b"Two" in changed.content


def test_an_edited_item_changes_the_etag(owner):
    snapshot = kept(owner, "https://b.example.org/1", "one", title="Before")
    client = client_for()
    etag = client.get("/feeds/latest.atom")["ETag"]
    edit_link(snapshot.link, title="After", note="", tags=[], visibility="public")
    edited = client.get("/feeds/latest.atom", HTTP_IF_NONE_MATCH=etag)
    assert edited.status_code == 200 and b"After" in edited.content


def test_an_empty_feed_still_sends_both_validators(owner):
    response = client_for().get("/feeds/latest.rss")
    assert response.status_code == 200
    assert response["ETag"] and parse_http_date(response["Last-Modified"]) == 0
    assert (
        client_for().get("/feeds/latest.rss", HTTP_IF_NONE_MATCH=response["ETag"]).status_code
        == 304
    )
