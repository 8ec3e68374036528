"""Main content: run trafilatura and readability-lxml, keep the better of the two.

Measured on the shared corpus (see ``bench/extract_quality.py``): trafilatura with
``favor_precision`` is best on English news, readability-lxml is cleaner on most
Chinese article pages (trafilatura keeps related-links blocks there) but sometimes
keeps only a fragment (forums, split layouts). Readability's text is therefore taken
unless it is much shorter than trafilatura's: a plateau of equally good cut-offs lies
between 0.37 and 1.1, so the middle of it (0.6) is used.

trafilatura runs in ``fast`` mode: its slow mode compares its result with its own
bundled readability port and justext, duplicating the comparison made here; fast mode
saves ~20 % of extraction time for -0.004..-0.013 F1 on magic-html (0 on AEB).
"""

from __future__ import annotations

import copy
import logging
from collections.abc import Callable
from dataclasses import dataclass

import trafilatura
from lxml import etree, html
from lxml.html import HtmlElement
from readability import Document
from readability import readability as _readability_module
from trafilatura.htmlprocessing import convert_to_html

from linkhome.lib.text_score import tokenize

from .htmltext import absolutize, html_to_text

LOG = logging.getLogger(__name__)

# Readability is kept when its text has at least this share of trafilatura's tokens.
READABILITY_MIN_SHARE = 0.6

# readability-lxml's cleaner also strips javascript: links over the whole page, which
# costs a third of its time; our nh3 policy removes them from the output anyway.
_readability_module.html_cleaner = copy.copy(_readability_module.html_cleaner)
_readability_module.html_cleaner.javascript = False


@dataclass(frozen=True)
class Content:
    html: str  # unsanitized fragment, links absolute
    text: str
    method: str


EMPTY = Content("", "", "")


def main_content(tree: HtmlElement, base: str) -> Content:
    """The best main content of ``tree``; ``EMPTY`` when no extractor finds any."""
    precise = _guarded(lambda: _trafilatura(tree, base, fallback=False))
    readable = _guarded(lambda: _readability(tree, base))
    chosen = choose(precise, readable)
    if chosen.text:
        return chosen
    # Both came back empty: trafilatura's full balanced mode has rescues of its own.
    return _guarded(lambda: _trafilatura(tree, base, fallback=True))


def choose(precise: Content, readable: Content) -> Content:
    """Readability unless it lost much of what trafilatura found."""
    if not readable.text:
        return precise
    share = len(tokenize(readable.text)) / max(1, len(tokenize(precise.text)))
    return readable if share >= READABILITY_MIN_SHARE else precise


def _guarded(run: Callable[[], Content]) -> Content:
    # A crash in one extractor must not lose the page: the other may still succeed.
    try:
        return run()
    except Exception:  # third-party parsers raise anything on broken HTML
        LOG.warning("content extractor failed", exc_info=True)
        return EMPTY


def _trafilatura(tree: HtmlElement, base: str, *, fallback: bool) -> Content:
    doc = trafilatura.bare_extraction(
        tree,
        url=base or None,
        favor_precision=not fallback,
        fast=not fallback,
        include_comments=True,  # forum and Q&A posts land in "comments"
        include_tables=True,
        include_images=True,
        include_links=True,
        include_formatting=True,
    )
    if doc is None or doc.body is None:
        return EMPTY
    root = etree.Element("div")
    for part in (doc.body, doc.commentsbody):
        if part is not None and len(part):
            root.extend(list(convert_to_html(part)[0]))
    return _content(root, base, "trafilatura")


def _readability(tree: HtmlElement, base: str) -> Content:
    # No url: readability would make every link of the whole page absolute (slow);
    # only the kept fragment is made absolute, below.
    fragment = Document(copy.deepcopy(tree)).summary(html_partial=True)
    if not fragment.strip():
        return EMPTY
    return _content(html.fromstring(fragment), base, "readability")


def _content(root: etree._Element, base: str, method: str) -> Content:
    absolutize(root, base)
    text = html_to_text(root)
    if not text:
        return EMPTY
    return Content(etree.tostring(root, encoding="unicode", method="html"), text, method)
