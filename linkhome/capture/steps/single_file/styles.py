"""Style sheets, <style>, style="" and <link> elements (stylesheets, icons, and the rest)."""

import re

import lxml.html
from lxml import etree
from lxml.html import HtmlElement

from . import mime, urls
from .assets import Inliner
from .css import for_style_element, rewrite_declarations, rewrite_stylesheet
from .document import head_of
from .images import inline_attribute
from .neutralize import elements

ICON_RELS = frozenset({"icon", "apple-touch-icon", "apple-touch-icon-precomposed", "mask-icon"})
# SVG presentation attributes that take url(): usually "#id", but they may name other files.
_SVG_URL_ATTRIBUTES = (
    "fill",
    "stroke",
    "clip-path",
    "mask",
    "filter",
    "marker-start",
    "marker-mid",
    "marker-end",
    "cursor",
)
_ONLOAD_MEDIA = re.compile(r"media\s*=\s*[\"']([^\"']*)[\"']")
_REFERENCE_WORDS = ("url", "image-set", "@import")
# A backslash escape of a letter of "url", "image-set" or "import" (as itself or in hex).
_ESCAPED_LETTER = re.compile(r"\\(?:0{0,4}[4-7][0-9a-fA-F](?![0-9a-fA-F])|[urlimpURLIMP])")


def apply_deferred_stylesheets(root: HtmlElement) -> None:
    """Finish what "load CSS later" handlers would have done, before handlers are removed:
    ``rel=preload as=style onload="this.rel='stylesheet'"`` and
    ``media=print onload="this.media='all'"`` would otherwise lose the page its styles."""
    for link in elements(root, "link"):
        onload = link.get("onload") or ""
        preloads_style = "preload" in _rels(link) and (link.get("as") or "").lower() == "style"
        if preloads_style and "stylesheet" in onload:
            link.set("rel", "stylesheet")
        media = _ONLOAD_MEDIA.search(onload)
        if media and "stylesheet" in _rels(link):
            link.set("media", media.group(1))


def inline_stylesheet_links(root: HtmlElement, base: str, inliner: Inliner) -> None:
    """Stylesheets become <style>; icons wait for ``inline_icons``; every other <link> goes:
    preload/prefetch/preconnect/manifest... would load by themselves, and canonical/alternate
    metadata is kept by the raw HTML and the WARC."""
    for link in elements(root, "link"):
        rels = _rels(link)
        if "stylesheet" in rels:
            _inline_stylesheet(link, rels, base, inliner)
        elif not rels & ICON_RELS:
            link.drop_tree()


def inline_icons(root: HtmlElement, base: str, inliner: Inliner) -> bool:
    """Icons get data: URIs (failed ones are removed); returns whether the page names one."""
    icons = [link for link in elements(root, "link") if _rels(link) & ICON_RELS]
    for icon in icons:
        inline_attribute(icon, "href", base, inliner)
        if not (icon.get("href") or "").startswith("data:"):
            icon.drop_tree()
    return bool(icons)


def _rels(link: HtmlElement) -> set[str]:
    return set((link.get("rel") or "").lower().split())


def _inline_stylesheet(link: HtmlElement, rels: set[str], base: str, inliner: Inliner) -> None:
    url = urls.resolve(link.get("href") or "", base)
    sheet = inliner.stylesheet(url) if url and _is_applied(link, rels) else None
    if sheet is None:
        link.drop_tree()
        return
    parents = (urls.split_fragment(url or "")[0],)
    _replace_with_style(link, rewrite_stylesheet(sheet.text, sheet.url, inliner, parents))


def _is_applied(link: HtmlElement, rels: set[str]) -> bool:
    """Alternate or disabled sheets, and non-CSS types, are not applied: inlining them as
    <style> would apply them, so they are dropped (and not fetched)."""
    css_type = mime.essence(link.get("type") or "text/css") in ("text/css", "")
    return "alternate" not in rels and link.get("disabled") is None and css_type


def _replace_with_style(link: HtmlElement, css: str) -> None:
    style = lxml.html.Element("style")
    style.text = for_style_element(css)
    if link.get("media"):
        style.set("media", link.get("media", ""))
    style.tail = link.tail  # lxml's replace() drops the tail text
    link.getparent().replace(link, style)


def inline_style_elements(root: HtmlElement, base: str, inliner: Inliner) -> None:
    for style in elements(root, "style"):
        if style.text and _may_reference(style.text):
            style.text = for_style_element(rewrite_stylesheet(style.text, base, inliner))


def inline_style_attributes(root: HtmlElement, base: str, inliner: Inliner) -> None:
    """style="" everywhere, and SVG presentation attributes (only inside <svg>: elsewhere an
    attribute named "mask" or "filter" is no CSS)."""
    for element in root.iter(etree.Element):
        _rewrite_attribute(element, "style", base, inliner)
    in_svg = dict.fromkeys(e for svg in root.iter("svg") for e in svg.iter(etree.Element))
    for element in in_svg:  # a dict: nested <svg>s would list their elements twice
        for name in _SVG_URL_ATTRIBUTES:
            _rewrite_attribute(element, name, base, inliner)


def _rewrite_attribute(element: HtmlElement, name: str, base: str, inliner: Inliner) -> None:
    value = element.get(name)
    if value and _may_reference(value):
        element.set(name, rewrite_declarations(value, base, inliner))


def _may_reference(css: str) -> bool:
    """Cheap pre-check before the full parse, which costs ~10 ms on a big inline sheet.

    An escape can spell "url(" or "@import" only with an escaped letter of those words;
    icon-font escapes such as "\\f101" are common and cannot, so they skip the parse."""
    lowered = css.lower()
    return any(word in lowered for word in _REFERENCE_WORDS) or bool(_ESCAPED_LETTER.search(css))


def add_site_favicon(root: HtmlElement, page_url: str, inliner: Inliner) -> None:
    """Browsers ask for /favicon.ico when a page names no icon, so we try it too; it is no
    reference of the page, so a miss is not recorded as a failed asset."""
    url = urls.resolve("/favicon.ico", page_url)
    if url is None or urls.scheme_of(url) not in urls.FETCHABLE_SCHEMES:
        return
    data = inliner.data_uri(url, page_url, quiet=True)
    if data is None or not data.startswith("data:image/"):
        return
    link = lxml.html.Element("link")
    link.set("rel", "icon")
    link.set("href", data)
    head_of(root).append(link)
