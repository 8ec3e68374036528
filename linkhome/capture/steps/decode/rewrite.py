"""The stored copy declares UTF-8: rewrite the charset declarations of decoded HTML."""

from __future__ import annotations

import re

from .meta import meta_charset_spans

_HEAD_END = re.compile(r"</head\s*>|<body[\s>]", re.I)
_XML_ENCODING = re.compile(r"""\A(\ufeff?\s*<\?xml\s[^>]*?encoding\s*=\s*["']?\s*)([\w.:-]+)""")
_INSERT_AFTER = (
    re.compile(r"<head(?:\s[^>]*)?>", re.I),
    re.compile(r"<html(?:\s[^>]*)?>", re.I),
    re.compile(r"<!doctype[^>]*>", re.I),
)
_UTF8_META = '<meta charset="utf-8">'


def _charset_spans(html: str) -> list[tuple[int, int]]:
    """Spans of the charset values declared by <meta> tags in the head (comments skipped)."""
    end = _HEAD_END.search(html)
    return list(meta_charset_spans(html, end.start() if end else len(html)))


def _replace_spans(html: str, spans: list[tuple[int, int]], value: str) -> str:
    for start, end in reversed(spans):
        html = html[:start] + value + html[end:]
    return html


def _insert_meta(html: str) -> str:
    # After <head>; else after <html> or the doctype (a tag before the doctype would put the
    # page in quirks mode); else at the very start.
    for anchor in _INSERT_AFTER:
        found = anchor.search(html)
        if found:
            return html[: found.end()] + _UTF8_META + html[found.end() :]
    return _UTF8_META + html


def rewrite_meta_charset(html: str) -> str:
    """Make decoded HTML declare UTF-8, leaving every other character as it was.

    Every charset declared by a <meta> in the head is rewritten, not only the first: a second,
    stale declaration would otherwise still contradict the stored bytes. A leading XML
    declaration is rewritten too: XML parsers, and some browsers even in HTML, read it.
    """
    html = _XML_ENCODING.sub(r"\1utf-8", html, count=1)
    spans = _charset_spans(html)
    return _replace_spans(html, spans, "utf-8") if spans else _insert_meta(html)
