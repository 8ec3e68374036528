"""Main content: run trafilatura and readability-lxml, keep the better of the two.

Measured on the shared corpus (see ``bench/extract_quality.py``): trafilatura with
``favor_precision`` is best on English news, readability-lxml is cleaner on most
Chinese article pages (trafilatura keeps related-links blocks there) but sometimes
keeps only a fragment (forums, split layouts). Readability's text is therefore taken
unless it is much shorter than trafilatura's: a plateau of equally good cut-offs lies
between 0.37 and 1.1, so the middle of it (0.6) is used.

Reader comments are not main text: trafilatura's comment part is kept only on a discussion
page (forum thread, Q&A; ``discussion.py``), where the replies are the content, and
readability's share is then measured against it. On English blog and news pages with
comments (``tests/data/en-comments``, tune split) this took main-text F1 from 0.757 to
0.928; scrapinghub-aeb went from 0.955 to 0.960, magic-html forums from 0.690 to 0.691.

trafilatura runs in ``fast`` mode: its slow mode compares its result with its own
bundled readability port and justext, duplicating the comparison made here; fast mode
saves ~20 % of extraction time for -0.004..-0.013 F1 on magic-html (0 on AEB).
"""

from __future__ import annotations

import copy
import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import TypeVar

import trafilatura
from lxml import etree, html
from lxml.html import HtmlElement
from readability import Document
from readability import readability as _readability_module
from trafilatura.htmlprocessing import convert_to_html
from trafilatura.settings import Document as TrafilaturaDocument

from linkhome.lib.text_score import tokenize

from .discussion import is_discussion
from .htmltext import absolutize, html_to_text

LOG = logging.getLogger(__name__)
T = TypeVar("T")

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


@dataclass(frozen=True)
class Found:
    """trafilatura's result: the article alone, and with the comments it found after it."""

    article: Content
    with_comments: Content


NOTHING = Found(EMPTY, EMPTY)


def main_content(tree: HtmlElement, base: str) -> Content:
    """The best main content of ``tree``; ``EMPTY`` when no extractor finds any."""
    discussion = is_discussion(tree, base)
    precise = _pick(_guarded(lambda: _trafilatura(tree, base, fallback=False), NOTHING), discussion)
    readable = _guarded(lambda: _readability(tree, base), EMPTY)
    chosen = choose(precise, readable)
    if chosen.text:
        return chosen
    # Both came back empty: trafilatura's full balanced mode has rescues of its own.
    found = _guarded(lambda: _trafilatura(tree, base, fallback=True), NOTHING)
    rescued = _pick(found, discussion)
    return rescued if rescued.text else found.with_comments


def _pick(found: Found, discussion: bool) -> Content:
    # Replies are the content of a thread; elsewhere comments are not the article.
    return found.with_comments if discussion else found.article


def choose(precise: Content, readable: Content) -> Content:
    """Readability unless it lost much of what trafilatura found."""
    if not readable.text:
        return precise
    share = len(tokenize(readable.text)) / max(1, len(tokenize(precise.text)))
    return readable if share >= READABILITY_MIN_SHARE else precise


def _guarded(run: Callable[[], T], failed: T) -> T:
    # A crash in one extractor must not lose the page: the other may still succeed.
    try:
        return run()
    except Exception:  # third-party parsers raise anything on broken HTML
        LOG.warning("content extractor failed", exc_info=True)
        return failed


def _trafilatura(tree: HtmlElement, base: str, *, fallback: bool) -> Found:
    doc = trafilatura.bare_extraction(
        tree,
        url=base or None,
        favor_precision=not fallback,
        fast=not fallback,
        include_comments=True,  # forum and Q&A posts land in "comments" (see _pick)
        include_tables=True,
        include_images=True,
        include_links=True,
        include_formatting=True,
    )
    # A Document without as_dict; the signature (no overload on as_dict) says "or a dict".
    if not isinstance(doc, TrafilaturaDocument) or doc.body is None:
        return NOTHING
    body = _as_html(doc.body)
    comments = _as_html(doc.commentsbody)
    if not len(comments):
        article = _content(body, base, "trafilatura")
        return Found(article, article)
    both = copy.deepcopy(body)
    both.extend(list(comments))
    return Found(_content(body, base, "trafilatura"), _content(both, base, "trafilatura"))


def _as_html(part: etree._Element | None) -> etree._Element:
    root = etree.Element("div")
    if part is not None and len(part):
        root.extend(list(convert_to_html(part)[0]))
    return root


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
