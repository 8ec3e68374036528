"""The page's title: a meta title (og:title…) first, else ``<title>``; a site-name part
at its end (or start) is dropped only when it really names the site.

What names the site (``SiteNames``): the page's ``og:site_name``/``application-name``, its
host ("TechCrunch" on techcrunch.com, "Tribunnews.com"), the names its own home link and
logo carry ("财经网" on a link to ``/``), and a Chinese site word ending a part after a
separator ("…_腾讯网", "-CSDN博客"). Once a site part is found at the end, short Chinese
channel names just before it go too ("…_数据_宏观频道_财经网"). Nothing else is cut: a title
that only looks like "A - B" keeps both halves.

Separators are the usual ones (" - ", " | ", "_", "——"…); a ``_`` or ``-`` glued to letters
or digits on both sides is part of a word or an identifier ("ignore_errors", "BUS_NAME",
"e-mail"), never a separator. ``Titles.full`` keeps the title before any cut.
Headings come last: on many pages the first ``<h1>`` is the site's logo or a section.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from urllib.parse import urljoin, urlsplit

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
_HAN = "\u3000-\u303f\u3400-\u9fff\uf900-\ufaff\uff00-\uffef"  # with CJK punctuation
_WORD = "A-Za-z0-9"
# " - ", " | ", " — ", " » ", " / " need spaces (a bare "-" joins latin words); "|",
# full-width bars, "——" and a "-" next to a Han character separate without them; "_" does
# too unless letters or digits touch it on both sides (an identifier: ignore_errors).
SEPARATOR_RE = re.compile(
    r"\s+[-–—|·»/\\:]\s+|\s*[|｜]\s*|\s*——\s*|\s+::\s+"
    rf"|\s+_\s*|\s*_\s+|(?<![{_WORD}])_|_(?![{_WORD}])"
    rf"|(?<=[{_HAN}])\s*-{{1,2}}\s*|\s*-{{1,2}}\s*(?=[{_HAN}])"
)
# Chinese site and channel names end in words like these: "新华网河北频道", "CSDN博客".
SITE_WORD_RE = re.compile(r"(?:网|频道|网站|博客|论坛|社区|官网|百科|日报|晚报|在线|新闻|头条)\s*$")
GENERIC_HOST_LABELS = frozenset(
    [
        "www",
        "m",
        "wap",
        "mobile",
        "news",
        "blog",
        "blogs",
        "com",
        "net",
        "org",
        "edu",
        "gov",
        "cn",
        "co",
        "uk",
        "jp",
        "io",
        "info",
        "html",
    ]
)
HOME_LINKS_READ = 60  # anchors looked at for the site's own home link
MAX_NAME = 40  # characters: a home link longer than this is not a name


@dataclass(frozen=True)
class Titles:
    title: str  # what lists and pages show
    full: str  # the title before any site part was dropped


@dataclass(frozen=True)
class SiteNames:
    """What the page says its site is called."""

    names: tuple[str, ...] = ()  # og:site_name first, then home link texts, logo alts
    host: str = ""

    def named_by(self, segment: str, strong: bool = False) -> bool:
        """Whether ``segment`` (a part of the title) is the site's name; ``strong``: by
        og:site_name or the host only (a prefix needs that much: a home link's "Firefox"
        may be the page's subject)."""
        key = _compact(segment)
        if not key:
            return False
        names = [n for n in (self.names[:1] if strong else self.names) if n]
        if any(key == _compact(name) for name in names):
            return True
        seg = set(tokenize(segment))
        if any(seg and seg == set(tokenize(name)) for name in names):
            return True
        return key in _host_keys(self.host) or (
            key.startswith("the") and key[3:] in _host_keys(self.host)
        )

    def chinese_site_word(self, segment: str) -> bool:
        tokens = tokenize(segment)
        return bool(tokens) and len(tokens) <= 12 and SITE_WORD_RE.search(segment) is not None


def find_title(tree: HtmlElement, meta: dict[str, str], site_name: str, url: str = "") -> str:
    """Best title of the page; "" when it has none."""
    return find_titles(tree, meta, site_name, url).title


def find_titles(tree: HtmlElement, meta: dict[str, str], site_name: str, url: str = "") -> Titles:
    """The page's title, and the full one it was cut from."""
    full = next((clean(meta[k]) for k in META_TITLE_KEYS if meta.get(k, "").strip()), "")
    full = full or clean(tree.findtext(".//title") or "")
    if full:
        found = tuple(_names(site_name, tree, url))
        # names[0] is og:site_name when the page has one (named_by's strong evidence)
        names = SiteNames(
            found if site_name.strip() else ("", *found), urlsplit(url).hostname or ""
        )
        return Titles(strip_site(full, names), full)
    heading = tree.find(".//h1")
    title = clean(heading.text_content()) if heading is not None else ""
    return Titles(title, title)


def clean(text: str) -> str:
    return " ".join(text.split())


def strip_site(title: str, site: SiteNames | str) -> str:
    """``title`` without the parts at its end (or else its start) that name the site."""
    names = site if isinstance(site, SiteNames) else SiteNames((site,) if site else ())
    parts = _parts(title)
    if len(parts) < 2:
        return title
    end = _site_at_end(parts, names)
    if end is not None:
        return _join(title, parts[:end])
    if _names_site(parts[0][0], names, strong=True) and _weight(_join(title, parts[1:])) > 0:
        return _join(title, parts[1:])
    return title


def _parts(title: str) -> list[tuple[str, int, int]]:
    """(text, start, end) of each non-empty part between separators."""
    parts, start = [], 0
    for sep in SEPARATOR_RE.finditer(title):
        if title[start : sep.start()].strip():
            parts.append((title[start : sep.start()], start, sep.start()))
        start = sep.end()
    if title[start:].strip():
        parts.append((title[start:], start, len(title)))
    return parts


def _join(title: str, parts: list[tuple[str, int, int]]) -> str:
    return title[parts[0][1] : parts[-1][2]].strip() if parts else title


def _site_at_end(parts: list[tuple[str, int, int]], names: SiteNames) -> int | None:
    """Index of the first part to drop at the end, or None: the last part naming the site
    (a Chinese channel may follow it: "…_39健康网_饮食"), and the channels before it."""
    last = len(parts) - 1
    site = next(
        (
            i
            for i in range(last, max(last - 2, 0), -1)
            if _names_site(parts[i][0], names) and all(_channel(p[0]) for p in parts[i + 1 :])
        ),
        None,
    )
    if site is None:
        return None
    while site > 1 and (_channel(parts[site - 1][0]) or _names_site(parts[site - 1][0], names)):
        site -= 1
    return site


def _names_site(segment: str, names: SiteNames, strong: bool = False) -> bool:
    return names.named_by(segment, strong) or names.chinese_site_word(segment)


def _channel(segment: str) -> bool:
    # Chinese channel names ("科技", "国内新闻") are a few characters; title parts are longer
    tokens = tokenize(segment)
    return 0 < len(tokens) <= 4 and all(is_cjk_token(t) for t in tokens)


def _weight(text: str) -> int:
    return len(tokenize(text))


def _compact(text: str) -> str:
    """Letters and digits only, NFKC, lower case: "The Verge" → "theverge"."""
    folded = unicodedata.normalize("NFKC", text).lower()
    return "".join(c for c in folded if c.isalnum())


def _host_keys(host: str) -> set[str]:
    """Spellings of a host a title uses for its site: "techcrunch" and "techcrunchcom" for
    techcrunch.com, "sportsnetca" for www.sportsnet.ca."""
    labels = [label for label in host.lower().split(".") if label]
    if not labels:
        return set()
    if labels[0] in GENERIC_HOST_LABELS and len(labels) > 2:
        labels = labels[1:]
    keys = {"".join(labels), "".join(labels[:-1])}
    keys |= {label for label in labels if len(label) >= 3 and label not in GENERIC_HOST_LABELS}
    return {k for k in keys if k}


def _names(site_name: str, tree: HtmlElement, url: str) -> Iterable[str]:
    """The site's names: og:site_name, then the text, title and image alt of links to the
    site's home page (the logo, "首页" aside) and of elements called logo."""
    if site_name.strip():
        yield site_name
    root = urlsplit(url)
    home = {"/", "./", "index.html", "/index.html", "/index.htm", "/index.shtml"}
    for anchor in list(tree.iter("a"))[:HOME_LINKS_READ]:
        href = (anchor.get("href") or "").strip()
        target = urlsplit(urljoin(url, href)) if url else urlsplit(href)
        is_home = href in home or (
            bool(root.hostname)
            and target.hostname == root.hostname
            and target.path in ("", "/", "/index.html", "/index.htm", "/index.shtml")
            and not target.query
        )
        if is_home:
            yield from _labels(anchor)
    for logo in tree.xpath('//*[contains(@class, "logo") or contains(@id, "logo")]')[:5]:
        yield from _labels(logo)


def _labels(element: HtmlElement) -> Iterable[str]:
    texts = [element.text_content(), element.get("title") or ""]
    texts += [img.get("alt") or "" for img in element.iter("img")]
    for text in texts:
        text = clean(text)
        if text and len(text) <= MAX_NAME and text not in ("首页", "Home", "home", "主页"):
            yield text
