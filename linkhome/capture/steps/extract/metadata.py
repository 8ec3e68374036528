"""Title, author, publish date, site name, description and language of a page.

trafilatura's metadata (meta tags, JSON-LD, bylines; dates by htmldate) is the base.
On top: our title rule (``title.py``), plain ``<meta name="author">`` (trafilatura drops
authors without a space, i.e. every Chinese name), Chinese byline lines (``labels.py``)
and a script check of the declared language (``language.py``).
"""

from __future__ import annotations

import copy
import datetime
import logging
import re
from dataclasses import dataclass

from lxml.html import HtmlElement
from trafilatura import extract_metadata
from trafilatura.settings import Document as TrafDocument

from .htmltext import html_to_text
from .labels import clean_zh_author, find_author, find_date
from .language import detect_language, script_language
from .title import clean, find_title

LOG = logging.getLogger(__name__)

# Dublin Core first, then the common names (Readability.js uses the same precedence).
AUTHOR_KEYS = (
    "dc:creator",
    "dcterm:creator",
    "author",
    "article:author",
    "parsely-author",
    "sailthru:author",
    "byl",
)
SITE_KEYS = ("og:site_name", "application-name")
DESCRIPTION_KEYS = ("dc:description", "description", "og:description", "twitter:description")
MAX_AUTHOR = 100
_BY_RE = re.compile(r"^(?:by|par|von|por|door|di|da)\s+", re.IGNORECASE)
# trafilatura's byline reading sometimes keeps the start of the date after the name.
_MONTH_WORDS = (
    "january february march april may june july august september october november december "
    "jan feb mar apr jun jul aug sep sept oct nov dec"
)
_MONTHS = frozenset(_MONTH_WORDS.split())


@dataclass(frozen=True)
class Metadata:
    title: str = ""
    author: str = ""
    published: datetime.date | None = None
    site_name: str = ""
    language: str = ""
    description: str = ""


def page_metadata(tree: HtmlElement, url: str, text: str) -> Metadata:
    """Metadata of ``tree``; ``text`` is the extracted main text (for the language)."""
    meta = meta_tags(tree)
    traf = _trafilatura_metadata(tree, url)
    site_name = _first(meta, SITE_KEYS).lstrip("@") or (traf.sitename or "")
    page_lines = _page_lines(tree) if script_language(text) == "zh" else ""
    return Metadata(
        title=find_title(tree, meta, site_name) or clean(traf.title or ""),
        author=_author(meta, traf, page_lines),
        published=_published(traf, page_lines),
        site_name=clean(site_name),
        language=detect_language(tree, meta, text),
        description=clean(_first(meta, DESCRIPTION_KEYS) or traf.description or ""),
    )


def meta_tags(tree: HtmlElement) -> dict[str, str]:
    """``<meta>`` keys → first non-empty content.

    Keys are lower-cased with "." read as ":" ("DC.title" is "dc:title"); a property
    attribute may hold several space-separated keys (RDFa).
    """
    found: dict[str, str] = {}
    for el in tree.iter("meta"):
        content = (el.get("content") or "").strip()
        if content:
            for key in _meta_keys(el):
                found.setdefault(key, content)
    return found


def _meta_keys(el: HtmlElement) -> list[str]:
    names = " ".join(el.get(a, "") for a in ("name", "property", "itemprop", "http-equiv"))
    return [key.replace(".", ":") for key in names.lower().split()]


def _first(meta: dict[str, str], keys: tuple[str, ...]) -> str:
    return next((meta[k] for k in keys if meta.get(k)), "")


def _trafilatura_metadata(tree: HtmlElement, url: str) -> TrafDocument:
    try:
        # a copy: trafilatura prunes the tree it reads; extensive date search measured
        # no better on the corpus and costs 2-3x the time
        return extract_metadata(copy.deepcopy(tree), url or None, extensive=False)
    except Exception:  # never lose a page over its metadata
        LOG.warning("trafilatura metadata failed for %s", url, exc_info=True)
        return TrafDocument()


def _author(meta: dict[str, str], traf: TrafDocument, page_lines: str) -> str:
    declared = _first(meta, AUTHOR_KEYS)
    if declared.startswith(("http://", "https://")):  # article:author is often a profile URL
        declared = ""
    author = clean_author(declared or traf.author or "") or find_author(page_lines)
    return author[:MAX_AUTHOR]


def clean_author(name: str) -> str:
    """ "By Jane Doe March" → "Jane Doe": no "by" prefix, no trailing date words."""
    words = _BY_RE.sub("", clean_zh_author(clean(name))).split()
    while words and (words[-1].lower().strip(",.") in _MONTHS or _has_digit(words[-1])):
        words.pop()
    return " ".join(words)


def _has_digit(word: str) -> bool:
    return any(ch.isdigit() for ch in word)


def _published(traf: TrafDocument, page_lines: str) -> datetime.date | None:
    return find_date(page_lines) or _parse_day(traf.date)


def _parse_day(value: str | None) -> datetime.date | None:
    try:
        return datetime.date.fromisoformat((value or "")[:10])
    except ValueError:
        return None


def _page_lines(tree: HtmlElement) -> str:
    body = tree.find("body")
    return html_to_text(body if body is not None else tree)
