"""Shared by the feed tests: read a feed back with feedparser, someone else's reader."""

import feedparser
from django.test import Client


def read_feed(client: Client, url: str, **headers: str) -> feedparser.FeedParserDict:
    response = client.get(url, **headers)
    assert response.status_code == 200, (url, response.status_code)
    parsed = feedparser.parse(response.content)
    assert not parsed.bozo, (url, parsed.get("bozo_exception"))
    return parsed


def snapshot_ids(feed: feedparser.FeedParserDict) -> list[int]:
    """The snapshot of each entry, from its link (http://testserver/s/ID/)."""
    return [int(entry.link.rstrip("/").rsplit("/", 1)[1]) for entry in feed.entries]
