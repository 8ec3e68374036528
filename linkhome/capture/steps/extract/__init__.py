"""Extract step: readable main content and metadata from a decoded page (no Django here).

``extract(html, url)`` never raises on broken HTML; whatever cannot be found is empty.
Strategy and figures: ``content.py`` and ``bench/extract_quality.py``.
"""

from __future__ import annotations

import datetime
import logging
from dataclasses import dataclass

from lxml.html import HtmlElement, document_fromstring
from trafilatura import load_html

from linkhome.lib.html_depth import (
    DEFAULT_LIMIT_REACHED,
    PARSER_SAFE_DEPTH,
    flatten_deep,
    reaches_depth,
)

from .content import EMPTY, Content, main_content
from .htmltext import base_url, strip_noise
from .metadata import Metadata, page_metadata
from .sanitize import sanitize_html

__all__ = ["Extracted", "extract", "sanitize_html"]

LOG = logging.getLogger(__name__)


@dataclass
class Extracted:
    title: str
    author: str
    published: datetime.date | None
    site_name: str
    language: str  # primary BCP47 subtag: "zh", "en"; "" if unknown
    description: str
    text: str  # plain main text, paragraphs separated by "\n"
    readable_html: str  # main content with structure, sanitized (sanitize_html)
    method: str  # extractor that produced the text: "trafilatura", "readability" or ""
    full_title: str = ""  # the title before a site-name part was dropped (title.py)


def extract(html: str, url: str, captured: datetime.datetime | None = None) -> Extracted:
    """Main content and metadata of the page ``html`` fetched from ``url``.

    ``captured`` is when it was fetched ("3小时前" is read against it); default now.
    """
    tree = _parse(html)
    if tree is None:
        return _assemble(Metadata(), EMPTY)
    content = main_content(tree, base_url(tree, url))
    return _assemble(page_metadata(tree, url, content.text, captured), content)


def _parse(html: str) -> HtmlElement | None:
    try:
        # trafilatura refuses a page without <html> whose body is one block; browsers show it
        tree = load_html(html) if html.strip() else None
        if tree is None and "<" in html:
            tree = document_fromstring(html)
        if tree is not None and reaches_depth(tree, DEFAULT_LIMIT_REACHED):
            # libxml2 may have stopped at its depth limit and dropped the rest of the page.
            tree = load_html(flatten_deep(html, PARSER_SAFE_DEPTH))
    except Exception:  # a page we cannot parse has nothing to extract
        LOG.warning("unparseable page", exc_info=True)
        return None
    if tree is not None:
        strip_noise(tree)
    return tree


def _assemble(meta: Metadata, content: Content) -> Extracted:
    return Extracted(
        title=meta.title,
        author=meta.author,
        published=meta.published,
        site_name=meta.site_name,
        language=meta.language,
        description=meta.description,
        text=content.text,
        readable_html=sanitize_html(content.html) if content.html else "",
        method=content.method,
        full_title=meta.full_title,
    )
