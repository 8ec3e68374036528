"""A feed site for the subscription tests and bench/feeds_in.py: the local HTTP server
serving feed bytes with an ETag, answering 304 to a matching If-None-Match, and RSS written
here, small. No Django."""

from datetime import datetime
from email.utils import format_datetime
from hashlib import sha256
from xml.sax.saxutils import escape

from linkhome.testing.http import LocalHTTPServer


def rss(title: str, items: list[tuple[str, str, datetime | None]]) -> bytes:
    """An RSS 2.0 feed; items are (address, title, date), newest first."""
    parts = [
        f'<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>{escape(title)}</title>'
    ]
    for url, name, when in items:
        date = f"<pubDate>{format_datetime(when)}</pubDate>" if when else ""
        parts.append(
            f"<item><title>{escape(name)}</title><link>{escape(url)}</link>"
            f"<guid>{escape(url)}</guid>{date}</item>"
        )
    parts.append("</channel></rss>")
    return "".join(parts).encode("utf-8")


class FeedSite:
    """`path` serves `body` with an ETag; a request sending that ETag back gets 304."""

    def __init__(self, server: LocalHTTPServer, path: str = "/feed.xml") -> None:
        self.server, self.path = server, path
        self.body = b""
        self.status = 200
        self.url = server.route(path, handler=self._answer)

    def _answer(self, request):  # noqa: ANN001, ANN202
        if self.status != 200:
            return self.status, [("Content-Type", "text/plain")], b"not today"
        etag = '"' + sha256(self.body).hexdigest()[:16] + '"'
        if request.headers.get("If-None-Match") == etag:
            return 304, [("ETag", etag)], b""
        return 200, [("Content-Type", "application/rss+xml"), ("ETag", etag)], self.body

    def requests(self) -> list[dict[str, str]]:
        """The headers of each request for the feed, in order (names lower-cased)."""
        return [
            {name.lower(): value for name, value in headers}
            for method, path, headers in self.server.requests
            if path.split("?")[0] == self.path
        ]
