"""Small lxml helpers shared by the extractors: text of a fragment, links made absolute."""

from __future__ import annotations

from urllib.parse import urljoin

from lxml import etree
from lxml.html import HtmlElement

# Elements that start a new line of text; everything else is inline.
_BLOCK_WORDS = (
    "address article aside blockquote body caption dd details div dl dt fieldset figcaption "
    "figure footer form h1 h2 h3 h4 h5 h6 header hr li main nav ol p pre section summary "
    "table tbody thead tfoot tr ul"
)
BLOCK_TAGS = frozenset(_BLOCK_WORDS.split())
CELL_TAGS = frozenset({"td", "th"})
SKIP_TAGS = frozenset({"script", "style", "template", "noscript", "head", "title"})
_NOISE_XPATH = "//script[not(@type='application/ld+json')]|//style|//svg"
# Where lazy-loading pages keep the real image while ``src`` holds a placeholder.
LAZY_SRC_ATTRS = ("data-src", "data-original", "data-lazy-src", "data-actualsrc", "data-url")


def html_to_text(root: HtmlElement) -> str:
    """Plain text of ``root``: one line per block, whitespace collapsed, no empty lines."""
    parts: list[str] = []
    skipping = 0
    # iterwalk instead of recursion: hostile pages can nest deeper than Python's stack.
    for event, el in etree.iterwalk(root, events=("start", "end")):
        tag = el.tag if isinstance(el.tag, str) else ""
        if event == "start":
            skipping += tag in SKIP_TAGS
            if not skipping:
                parts.append(_opening(tag, el.text if tag else None))
        else:
            skipping -= tag in SKIP_TAGS
            if not skipping:
                parts.append(_closing(tag, el.tail if el is not root else None))
    lines = (" ".join(line.split()) for line in "".join(parts).split("\n"))
    return "\n".join(line for line in lines if line)


def _opening(tag: str, text: str | None) -> str:
    # A comment or processing instruction has no tag name; its "text" is not page text.
    sep = "\n" if tag in BLOCK_TAGS or tag == "br" else " " if tag in CELL_TAGS else ""
    return sep + (text or "")


def _closing(tag: str, tail: str | None) -> str:
    sep = "\n" if tag in BLOCK_TAGS else " " if tag in CELL_TAGS else ""
    return sep + (tail or "")


def strip_noise(tree: HtmlElement) -> None:
    """Drop scripts (but JSON-LD metadata), styles, SVG and comments, in place.

    Every extractor would drop them anyway; doing it once makes each copy and pass
    cheaper (about 10 % of extraction time) and changed no extracted text on the corpus.
    """
    for el in tree.xpath(_NOISE_XPATH):
        el.drop_tree()  # keeps the tail text
    etree.strip_tags(tree, etree.Comment)


def base_url(tree: HtmlElement, url: str) -> str:
    """The address relative links resolve against: ``<base href>`` if the page has one."""
    base = tree.find(".//base[@href]")
    if base is None:
        return url
    return urljoin(url, base.get("href", "").strip())


def absolutize(root: etree._Element, base: str) -> None:
    """Lazy images get their real source; ``a``/``img`` addresses become absolute."""
    for img in root.iter("img"):
        src = (img.get("src") or "").strip()
        lazy = next((img.get(a) for a in LAZY_SRC_ATTRS if img.get(a)), None)
        if lazy and (not src or src.startswith("data:")):
            img.set("src", lazy.strip())
    if not base:
        return
    for el, attr in [(a, "href") for a in root.iter("a")] + [(i, "src") for i in root.iter("img")]:
        value = (el.get(attr) or "").strip()
        if value:
            el.set(attr, _join(base, value))


def _join(base: str, value: str) -> str:
    try:
        return urljoin(base, value)
    except ValueError:  # e.g. "http://[broken" in a page's link
        return value
