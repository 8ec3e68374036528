"""The charsets ``<meta>`` tags declare, found as the WHATWG prescan finds them.

Shared by the reading of a document's declaration (declared.py) and by the rewrite of the
stored copy (rewrite.py), so that both see the same declarations.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

# Comments are matched too, so that a <meta> inside a comment is skipped as the WHATWG
# prescan skips it.
_META_OR_COMMENT = re.compile(r"<!--.*?-->|<meta[\s/][^>]*>", re.I | re.S)
_ATTRIBUTE = re.compile(r"""([^\s"'>/=]+)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'>/]+)))?""")
_CONTENT_CHARSET = re.compile(r"""charset\s*=\s*["']?\s*([^\s"';]+)""", re.I)


def _attributes(tag: re.Match[str]) -> dict[str, tuple[int, int]]:
    """Attribute name -> span of its value in the document; the first of a name wins.

    Attributes without a value declare nothing and are left out.
    """
    spans: dict[str, tuple[int, int]] = {}
    for found in _ATTRIBUTE.finditer(tag.string, tag.start() + len("<meta"), tag.end() - 1):
        group = next((g for g in (2, 3, 4) if found[g] is not None), 0)
        if group:
            spans.setdefault(found[1].lower(), found.span(group))
    return spans


def _declared_span(tag: re.Match[str]) -> tuple[int, int] | None:
    """Span of the charset a <meta> declares: its charset attribute, or the charset in the
    content of an http-equiv="content-type" (the WHATWG prescan rule; a description that
    mentions "charset=" declares nothing)."""
    spans, html = _attributes(tag), tag.string
    if "charset" in spans:
        return spans["charset"]
    pragma = spans.get("http-equiv")
    if (
        "content" not in spans
        or not pragma
        or html[slice(*pragma)].strip().lower() != "content-type"
    ):
        return None
    found = _CONTENT_CHARSET.search(html, *spans["content"])
    return found.span(1) if found else None


def meta_charset_spans(html: str, end: int) -> Iterator[tuple[int, int]]:
    for tag in _META_OR_COMMENT.finditer(html, 0, end):
        span = None if tag[0].startswith("<!--") else _declared_span(tag)
        if span:
            yield span
