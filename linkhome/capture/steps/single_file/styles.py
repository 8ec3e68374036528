"""Style sheets, <style>, style="" and <link> elements (stylesheets, icons, and the rest)."""

import lxml.html
from lxml import etree
from lxml.html import HtmlElement

from . import urls
from .assets import Inliner
from .css import for_style_element, rewrite_declarations, rewrite_stylesheet
from .document import head_of
from .images import inline_attribute
from .neutralize import elements

ICON_RELS = frozenset({"icon", "apple-touch-icon", "apple-touch-icon-precomposed", "mask-icon"})
# SVG presentation attributes that take url(): usually "#id", but they may name other files.
_URL_ATTRIBUTES = (
    "style",
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


def inline_links(root: HtmlElement, base: str, inliner: Inliner) -> bool:
    """Stylesheets become <style>, icons get data: URIs, every other <link> is removed:
    preload/prefetch/preconnect/manifest... would load by themselves, and canonical/alternate
    metadata is kept by the raw HTML and the WARC. Returns whether the page names an icon."""
    names_icon = False
    for link in elements(root, "link"):
        rels = set((link.get("rel") or "").lower().split())
        if "stylesheet" in rels:
            _inline_stylesheet(link, rels, base, inliner)
        elif rels & ICON_RELS:
            names_icon = True
            inline_attribute(link, "href", base, inliner)
            if not (link.get("href") or "").startswith("data:"):
                link.drop_tree()
        else:
            link.drop_tree()
    return names_icon


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
    css_type = (link.get("type") or "text/css").strip().lower() in ("text/css", "")
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
        if style.text:
            style.text = for_style_element(rewrite_stylesheet(style.text, base, inliner))


def inline_style_attributes(root: HtmlElement, base: str, inliner: Inliner) -> None:
    for element in root.iter(etree.Element):
        for name in _URL_ATTRIBUTES:
            value = element.get(name)
            if value and _may_reference(value):
                element.set(name, rewrite_declarations(value, base, inliner))


def _may_reference(css: str) -> bool:
    """Cheap pre-check; a backslash may hide an escaped "url(" and gets the full parse."""
    lowered = css.lower()
    return "url" in lowered or "image-set" in lowered or "\\" in css


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
