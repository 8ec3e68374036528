"""Answers already received in a capture, looked up by URL (redirects followed).

Browser mode answers a page's repeated requests from them, and the single-file step takes
its assets from them, so nothing the capture already has is downloaded a second time.
"""

from urllib.parse import urljoin

from linkhome.lib.safe_http import Exchange
from linkhome.lib.safe_http.client import REDIRECT_STATUSES

MAX_HOPS = 10


def known_chain(known: dict[str, Exchange], url: str) -> list[Exchange] | None:
    """The redirect chain from `url` to its final answer, or None if a hop is not known."""
    chain: list[Exchange] = []
    exchange = known.get(url)
    while exchange is not None and len(chain) <= MAX_HOPS:
        chain.append(exchange)
        location = exchange.header("location")
        if exchange.status not in REDIRECT_STATUSES or not location:
            return chain
        exchange = known.get(urljoin(exchange.url, location.strip()))
    return None


def remember(known: dict[str, Exchange], exchanges: list[Exchange]) -> None:
    """Add GET answers to `known`; a URL seen twice keeps its latest answer."""
    known.update((e.url, e) for e in exchanges if e.method == "GET")
