"""Title, author, publish date, site name, description and language of a page.

trafilatura's metadata (meta tags, JSON-LD, bylines; dates by htmldate) is the base.
On top: our title rule (``title.py``), plain ``<meta name="author">`` (trafilatura drops
authors without a space, i.e. every Chinese name), Chinese byline lines (``labels.py``),
Chinese publish dates (``zh_dates.py``) and a script check of the declared language
(``language.py``). Chinese rules and figures: ``tests/data/zh-metadata``.
"""

from __future__ import annotations

import copy
import datetime
import logging
import re
from dataclasses import dataclass
from functools import cached_property

from lxml.html import HtmlElement
from trafilatura import extract_metadata
from trafilatura.settings import Document as TrafDocument

from .htmltext import html_to_text
from .labels import (
    clean_zh_author,
    find_author,
    find_byline,
    find_date,
    find_fallback_author,
    is_person,
    name_under_title,
)
from .language import detect_language, script_language
from .title import clean, find_titles
from .zh_dates import meta_date, normalize, page_date, url_date

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
    full_title: str = ""  # before a site-name part was dropped
    author: str = ""
    published: datetime.date | None = None
    site_name: str = ""
    language: str = ""
    description: str = ""


def page_metadata(
    tree: HtmlElement, url: str, text: str, now: datetime.datetime | None = None
) -> Metadata:
    """Metadata of ``tree``; ``text`` is the extracted main text (for the language).

    ``now`` is when the page was captured: "3小时前" is read against it (default: now).
    """
    meta = meta_tags(tree)
    traf = _trafilatura_metadata(tree, url)
    named_site = _first(meta, SITE_KEYS).lstrip("@")
    site_name = named_site or (traf.sitename or "")
    # trafilatura guesses a site name from the title itself: no evidence for cutting it
    titles = find_titles(tree, meta, named_site, url)
    title = titles.title or clean(traf.title or "")
    full_title = titles.full or title
    if script_language(text) == "zh":
        lines = normalize(_page_lines(tree))
        page = ZhPage(lines, title, url, now or datetime.datetime.now(), normalize(text))
        author, published = _zh_author(meta, page), _zh_published(meta, traf, page)
    else:
        author, published = _author(meta, traf, ""), _parse_day(traf.date)
    return Metadata(
        title=title,
        full_title=full_title,
        author=author,
        published=published,
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


@dataclass(frozen=True)
class ZhPage:
    """A Chinese page as the byline rules read it: its text lines (NFKC), title and address."""

    text: str
    title: str
    url: str
    now: datetime.datetime
    main_text: str = ""  # the extracted article, NFKC

    @cached_property
    def heading_lines(self) -> list[int]:
        """Where the article's first line stands in the page: often its own heading, which
        the <title> does not repeat ("显示", the site's name), for `name_under_title`."""
        first = next((ln.strip() for ln in self.main_text.split("\n") if ln.strip()), "")
        if len(first) < 4:
            return []
        return [at for at, line in enumerate(self.lines) if line.strip() == first][:3]

    @cached_property
    def lines(self) -> list[str]:
        return self.text.split("\n")

    @cached_property
    def title_lines(self) -> list[int]:
        """Every line that holds the title (a menu or the browser title may repeat it)."""
        title = normalize(self.title).strip()
        if len(title) < 4:
            return []
        return [
            at
            for at, line in enumerate(self.lines)
            if len(line.strip()) >= 4 and (title in line.strip() or line.strip() in title)
        ]

    @cached_property
    def title_at(self) -> int:
        """The line that holds the title (bylines sit just below it); 0 if none does."""
        title = normalize(self.title).strip()
        if len(title) < 4:
            return 0
        for at, line in enumerate(self.lines):
            line = line.strip()
            if len(line) >= 4 and (title in line or line in title):
                return at
        return 0


def _zh_published(meta: dict[str, str], traf: TrafDocument, page: ZhPage) -> datetime.date | None:
    today = page.now.date()
    return (
        meta_date(meta, today)
        or page_date(page.lines, page.title_at, page.now)
        or find_date(page.text)
        or url_date(page.url, today)
        or _parse_day(traf.date)
    )


def _zh_author(meta: dict[str, str], page: ZhPage) -> str:
    """A person named by the byline, else by markup, else the source, editor or photographer
    when they are people; an organisation only when the page names no one else."""
    declared = _first(meta, AUTHOR_KEYS)
    if declared.startswith(("http://", "https://")):
        declared = ""
    # trafilatura's own byline guess is text near "作者" on Chinese pages: not used here.
    declared = clean_author(declared)
    person = declared if is_person(declared) else ""
    below_title = "\n".join(page.lines[page.title_at :])
    author = (
        find_author(below_title)
        or find_byline(below_title)
        or person
        or find_author(page.text)
        or name_under_title(page.lines, page.title_lines + page.heading_lines)
        or find_fallback_author(below_title)
        or (declared if is_person(declared, organisations=True) else "")
    )
    return author[:MAX_AUTHOR]


def _parse_day(value: str | None) -> datetime.date | None:
    try:
        return datetime.date.fromisoformat((value or "")[:10])
    except ValueError:
        return None


def _page_lines(tree: HtmlElement) -> str:
    body = tree.find("body")
    return html_to_text(body if body is not None else tree)
