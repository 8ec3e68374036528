"""A search query as a feed: the first results for the public (no viewer: a feed reader signs
in as nobody, and a private link is in no search feed, its owner's included), as feed items
(links.feeds), each excerpt the search's own snippet around the words found."""

from dataclasses import replace

from linkhome.links import feeds
from linkhome.links.feeds import FeedItem
from linkhome.search.api import MAX_LIMIT, search
from linkhome.search.highlight import strip_marks


def search_items(query: str, limit: int | None = None) -> list[FeedItem]:
    """Up to `limit` (LINKHOME_FEED_ITEMS, at most the search's own 100) results, best first
    (newest first for a query of filters only). Raises search.api.QueryError for a query
    that cannot run."""
    size = min(limit or feeds.item_limit(), MAX_LIMIT)
    hits = search(None, query, limit=size, count=False).hits
    snippets = {hit.snapshot_id: strip_marks(hit.snippet) for hit in hits}
    items = feeds.public_snapshot_items([hit.snapshot_id for hit in hits])
    return [_with_excerpt(item, snippets.get(item.snapshot_id, "")) for item in items]


def _with_excerpt(item: FeedItem, snippet: str) -> FeedItem:
    if not snippet.strip():
        return item
    return replace(item, excerpt=feeds.excerpt(snippet))
