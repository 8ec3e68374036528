"""What a phone's share sheet or a bookmarklet hands over, turned into an address and a title.

A Web Share Target receives `title`, `text` and `url`, and apps fill them as they please:
many put the address in `text` ("see https://example.com/a", "【标题】https://b23.tv/x 复制后打开"),
some leave `url` empty, a few put the page's title in `text`. `shared_link()` picks the
address (the `url` field when it holds one, else the first address in `text`, then in
`title`) and a title (the `title` field, else what `text` says around the address).

Where an address ends in running text: at whitespace, at ASCII quotes and angle brackets, at
any wide character (Han, kana, hangul, full-width punctuation: Chinese text often runs
straight on after an address) and at other non-ASCII punctuation; trailing sentence
punctuation is left out, and a closing bracket too unless the address opened it
("https://en.wikipedia.org/wiki/Python_(language)" keeps its ")"). Phones share addresses
percent-encoded, so an address with Han characters in its path is cut at the first one;
Latin, Cyrillic and other narrow letters stay part of it.
"""

import re
import unicodedata
from typing import NamedTuple

# Not after an ASCII letter or digit ("xhttps://" is no address); Han text may run up to one.
START = re.compile(r"(?i)(?<![a-z0-9])(?:https?://|www\.)")
ASCII_STOPS = frozenset(" \t\r\n\f\v\"'<>`")
TRAILING = ".,;:!?*'\""
CLOSING = {")": "(", "]": "[", "}": "{"}
MAX_TITLE = 500  # as much as a link's title holds (links.services)
# Left around a title made from the shared text once its address is taken out ("see: URL.").
LOOSE_ENDS = " .,;:!?-–—|·•、，。：；！？"


def _in_address(char: str) -> bool:
    if char.isascii():
        return char.isprintable() and char not in ASCII_STOPS
    if unicodedata.east_asian_width(char) in ("W", "F"):
        return False
    return unicodedata.category(char)[0] in "LMN"


def _trimmed(candidate: str) -> str:
    while candidate and _loose(candidate):
        candidate = candidate[:-1]
    return candidate


def _loose(candidate: str) -> bool:
    """The last character ends the sentence, not the address (an unopened bracket too)."""
    last = candidate[-1]
    if last in CLOSING:
        return candidate.count(last) > candidate.count(CLOSING[last])
    return last in TRAILING


def find_address(text: str) -> tuple[int, int] | None:
    """The span (start, end) of the first http(s) or www. address in `text`, or None."""
    for match in START.finditer(text or ""):
        end = match.end()
        while end < len(text) and _in_address(text[end]):
            end += 1
        address = _trimmed(text[match.start() : end])
        if len(address) > len(match.group()):  # more than "https://" alone
            return match.start(), match.start() + len(address)
    return None


def find_url(text: str) -> str:
    """The first address in `text` ("" when there is none)."""
    span = find_address(text)
    return text[span[0] : span[1]] if span else ""


class SharedLink(NamedTuple):
    url: str  # "" when nothing shared holds an address
    title: str


def shared_link(url: str = "", title: str = "", text: str = "") -> SharedLink:
    """The address and title of what was shared (see the module's docstring)."""
    url, title, text = (url or "").strip(), _one_line(title), (text or "").strip()
    if url and not find_url(url) and find_url(text):
        url = ""  # the url field held something else; the text has the address
    found = url or find_url(text) or find_url(title)
    if not title and text:
        title = _one_line(_without(text, found)).strip(LOOSE_ENDS)
    return SharedLink(found, title[:MAX_TITLE])


def _without(text: str, address: str) -> str:
    """`text` with the address taken out, when it is there."""
    if not address:
        return text
    start = text.find(address)
    return text if start < 0 else f"{text[:start]} {text[start + len(address) :]}"


def _one_line(text: str) -> str:
    return " ".join((text or "").split())
