"""Reading what people subscribe to: RSS and Atom feeds (feedparser) and OPML lists of
feeds (lxml's XML parser, never regular expressions). No Django: callers judge the entries'
addresses with the door's rules and save them.

`parse_feed(data)` answers the feed's title and its entries, newest first as the feed lists
them, each with its id (the entry's `id`/`guid`, or its address when it has none), address,
title and date (control characters and lone surrogates dropped); bytes that are not a feed,
or that feedparser fails on, raise `NotAFeed`. `read_opml(data)` answers the
outlines that name a feed (`xmlUrl`), each with the names of the folders (outlines without
`xmlUrl`) it sits in; a file that is not OPML raises `NotOpml` with the reason.
"""

from __future__ import annotations

import calendar
import io
import time
import unicodedata
from dataclasses import dataclass, field
from datetime import UTC, datetime

import feedparser
from lxml import etree

from linkhome.lib.bookmarks.entry import tidy_tag

MAX_TITLE = 500
MAX_ID = 2000


class NotAFeed(ValueError):
    """The bytes are not an RSS or Atom feed."""


class NotOpml(ValueError):
    """The file is not an OPML list of feeds; the message says why."""


@dataclass(frozen=True)
class FeedEntry:
    key: str  # what tells this entry apart in its feed: its id, else its address
    url: str
    title: str = ""
    published: datetime | None = None  # timezone-aware


@dataclass(frozen=True)
class ParsedFeed:
    title: str
    entries: list[FeedEntry] = field(default_factory=list)


def parse_feed(data: bytes, *, base_url: str = "") -> ParsedFeed:
    """The feed in `data` (RSS 0.9x, 1.0, 2.0 or Atom). feedparser reads loose feeds too
    (bozo): only bytes it finds no feed in at all are NotAFeed."""
    # A stream, never bytes: feedparser opens bytes as a file name when such a file exists
    # (a feed whose whole body is b"/etc/passwd" would read that file).
    try:
        parsed = feedparser.parse(
            io.BytesIO(data),
            response_headers={"content-location": base_url} if base_url else None,
            sanitize_html=True,
            resolve_relative_uris=True,
        )
    except Exception as exc:  # feedparser's own failures on hostile bytes (a lone surrogate
        # as a character reference raises UnicodeEncodeError in its loose parser)
        raise NotAFeed(f"not a readable feed ({type(exc).__name__}: {exc})") from None
    if not parsed.get("version") and not parsed.entries:
        reason = parsed.get("bozo_exception")
        raise NotAFeed(f"not an RSS or Atom feed ({reason})" if reason else "not a feed")
    title = _text(parsed.feed.get("title"))[:MAX_TITLE]
    entries = [entry for raw in parsed.entries if (entry := _entry(raw)) is not None]
    return ParsedFeed(title, entries)


def _entry(raw: feedparser.FeedParserDict) -> FeedEntry | None:
    url = _text(raw.get("link"))
    if not url:
        for link in raw.get("links") or ():
            if link.get("href") and link.get("rel", "alternate") == "alternate":
                url = _text(link["href"])
                break
    key = _text(raw.get("id")) or url
    if not key:
        return None
    return FeedEntry(key[:MAX_ID], url, _text(raw.get("title"))[:MAX_TITLE], _date(raw))


def _date(raw: feedparser.FeedParserDict) -> datetime | None:
    parsed: time.struct_time | None = raw.get("published_parsed") or raw.get("updated_parsed")
    if parsed is None:
        return None
    try:
        when = datetime.fromtimestamp(calendar.timegm(parsed), UTC)
    except (OverflowError, ValueError, OSError):
        return None
    return min(when, datetime.now(UTC))  # a date in the future is a feed's mistake


def _text(value: object) -> str:
    """Spaces folded; control characters and lone surrogates (which no database column
    takes: PostgreSQL refuses NUL) dropped."""
    text = "".join(
        " " if char.isspace() else char
        for char in str(value or "")
        if char.isspace() or unicodedata.category(char) not in ("Cc", "Cs")
    )
    return " ".join(text.split())


# --- OPML --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Outline:
    url: str  # the feed's address (xmlUrl)
    title: str
    folders: tuple[str, ...]  # the names of the folders it is in, outermost first, as tags


def read_opml(data: bytes, *, max_feeds: int = 1000) -> list[Outline]:
    """The feeds an OPML file lists (at most `max_feeds`), in file order, each once."""
    if not data.strip():
        raise NotOpml("the file is empty")
    parser = etree.XMLParser(
        resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False
    )
    try:
        root = etree.fromstring(data, parser)
    except etree.XMLSyntaxError as exc:
        raise NotOpml(f"not well-formed XML ({exc})") from None
    if not isinstance(root.tag, str) or etree.QName(root).localname.lower() != "opml":
        raise NotOpml("not an OPML file (its root element is not <opml>)")
    body = next((el for el in root if _name(el) == "body"), None)
    if body is None:
        raise NotOpml("not an OPML file (it has no <body>)")
    found: dict[str, Outline] = {}
    _walk(body, (), found, max_feeds)
    return list(found.values())


def _walk(node: etree._Element, folders: tuple[str, ...], found: dict, limit: int) -> None:
    for child in node:
        if _name(child) != "outline" or len(found) >= limit:
            continue
        url = _attr(child, "xmlurl").strip()
        name = _attr(child, "title") or _attr(child, "text")
        if url:
            if url not in found:
                found[url] = Outline(url, _text(name)[:MAX_TITLE], folders)
            continue
        tag = tidy_tag(name)
        _walk(child, (*folders, tag) if tag else folders, found, limit)


def _name(element: etree._Element) -> str:
    return etree.QName(element).localname.lower() if isinstance(element.tag, str) else ""


def _attr(element: etree._Element, name: str) -> str:
    """An attribute by name in any case (OPML writers spell xmlUrl as xmlurl too)."""
    for key, value in element.attrib.items():
        if str(key).lower() == name:
            return str(value)
    return ""
