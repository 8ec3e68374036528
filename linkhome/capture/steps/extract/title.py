"""The page's title: a meta title (og:title…) first, else ``<title>`` without its site suffix.

Meta titles are what the publisher wrote for sharing, usually without the site name;
``<title>`` mostly ends in " - SiteName" or "_频道_网站", cut when what is left still
reads as a title (Readability.js's rule, a Han character counting as a word).
Headings come last: on many pages the first ``<h1>`` is the site's logo or a section.
"""

from __future__ import annotations

import re

from lxml.html import HtmlElement

from linkhome.lib.text_score import is_cjk_token, tokenize

# Dublin Core, Open Graph, then the rest: Readability.js's precedence (keys as read by
# ``metadata.meta_tags``: lower case, "." as ":").
META_TITLE_KEYS = (
    "dc:title",
    "dcterm:title",
    "og:title",
    "weibo:article:title",
    "weibo:webpage:title",
    "title",
    "twitter:title",
    "parsely-title",
)
# " - ", " | ", " — ", " » ", " / " need spaces (a bare "-" joins latin words); "_", "|",
# full-width bars and a "-" next to a Han character separate Chinese titles without them.
_HAN = "\u3000-\u303f\u3400-\u9fff\uf900-\ufaff\uff00-\uffef"  # with CJK punctuation
SEPARATOR_RE = re.compile(
    r"\s+[-–—|·»/\\:]\s+|\s*[_|｜]\s*|\s*——\s*|\s+::\s+"
    rf"|(?<=[{_HAN}])\s*-{{1,2}}\s*|\s*-{{1,2}}\s*(?=[{_HAN}])"
)
# Chinese site and channel names end in words like these: "新华网河北频道", "CSDN博客".
SITE_WORD_RE = re.compile(r"(?:网|频道|网站|博客|论坛|社区|官网|百科|日报|晚报|在线)\s*$")
MIN_TITLE_WEIGHT = 3  # words (a Han or kana character is one) a title part needs


def find_title(tree: HtmlElement, meta: dict[str, str], site_name: str) -> str:
    """Best title of the page; "" when it has none."""
    for key in META_TITLE_KEYS:
        if meta.get(key, "").strip():
            # Meta titles rarely carry the site name: cut only a segment known to be it.
            title = clean(meta[key])
            return _head(title) if _is_site(_last(title), site_name) else title
    title = clean(tree.findtext(".//title") or "")
    if title:
        return strip_site(title, site_name)
    heading = tree.find(".//h1")
    return clean(heading.text_content()) if heading is not None else ""


def clean(text: str) -> str:
    return " ".join(text.split())


def strip_site(title: str, site_name: str) -> str:
    """Drop the site-name segment at the end (or start) of ``title`` when sensible."""
    parts = [p for p in SEPARATOR_RE.split(title) if p.strip()]
    if len(parts) < 2:
        return title
    head = _head(title)
    if _is_site(parts[-1], site_name) or _weight(head) >= MIN_TITLE_WEIGHT:
        return _strip_trailing_sites(title, site_name)
    first = SEPARATOR_RE.search(title)
    assert first, "two parts: the title has a separator"
    tail = title[first.end() :]
    return tail if _weight(tail) >= MIN_TITLE_WEIGHT else title


def _strip_trailing_sites(title: str, site_name: str) -> str:
    """Remove the last segment; for "Title_Channel_Site" also the channel ones."""
    stripped = _head(title)
    while SEPARATOR_RE.search(stripped) and _substantial(stripped):
        last = _last(stripped)
        if not (_short(last) or _is_site(last, site_name) or SITE_WORD_RE.search(last)):
            break
        stripped = _head(stripped)
    return stripped


def _head(title: str) -> str:
    matches = list(SEPARATOR_RE.finditer(title))
    return title[: matches[-1].start()].strip() if matches else title


def _last(title: str) -> str:
    return SEPARATOR_RE.split(title)[-1]


def _substantial(title: str) -> bool:
    return _weight(_head(title)) >= MIN_TITLE_WEIGHT


def _short(segment: str) -> bool:
    # Chinese channel names ("科技", "国内新闻") are a few characters; title parts are longer
    tokens = tokenize(segment)
    return 0 < len(tokens) <= 4 and all(is_cjk_token(t) for t in tokens)


def _weight(text: str) -> int:
    return len(tokenize(text))


def _is_site(segment: str, site_name: str) -> bool:
    seg, site = set(tokenize(segment)), set(tokenize(site_name))
    return bool(seg and site) and (seg <= site or site <= seg)
