"""Parsing and serializing the page with lxml, keeping it as close to the original as we can."""

import re

import lxml.html
from lxml import etree
from lxml.html import HtmlElement

from linkhome.lib.html_depth import BROWSER_DEPTH, flatten_deep, reaches_depth

from . import urls

# Defence in depth: even if a reference slipped through, the file cannot load anything.
# form-action is not covered by default-src, so it is closed explicitly.
CONTENT_SECURITY_POLICY = (
    "default-src 'none'; img-src data:; style-src 'unsafe-inline' data:; font-src data:; "
    "media-src data:; form-action 'none'"
)

_DOCTYPE = re.compile(r"^\s*(?:<!--.*?-->\s*)*<!doctype", re.I | re.S)
_EMPTY_DOCUMENT = b"<html><head></head><body></body></html>"
# A tree this deep may have been cut by huge_tree's limit of 2048 levels.
HUGE_LIMIT_REACHED = 2040
_VOID_UNKNOWN_TO_LIBXML2 = ("source", "track", "embed", "wbr", "keygen")
_CHARSET_IN_CONTENT = re.compile(r"charset\s*=\s*[\"']?([\w.:-]+)", re.I)


def parse(html: str) -> tuple[HtmlElement, bool]:
    """(root element, whether the source had a doctype); never raises.

    The text is handed to libxml2 as UTF-8 bytes with the encoding forced, so a
    ``<meta charset=gb2312>`` in the (already decoded) text cannot make it decode again, and
    lone surrogates or an XML declaration cannot make lxml refuse the input.
    """
    html = html.removeprefix("\ufeff")
    parser = lxml.html.HTMLParser(encoding="utf-8", huge_tree=True)  # big inline JSON, data:
    data = html.encode("utf-8", "replace")
    try:
        root = lxml.html.document_fromstring(data, parser=parser)
        if reaches_depth(root, HUGE_LIMIT_REACHED):
            # libxml2 stops at 2048 levels and drops the rest; browsers flatten at 512.
            flat = flatten_deep(html, BROWSER_DEPTH).encode("utf-8", "replace")
            root = lxml.html.document_fromstring(flat, parser=parser)
    except (etree.ParserError, ValueError):  # empty or whitespace/comment-only input
        root = lxml.html.document_fromstring(_EMPTY_DOCUMENT, parser=parser)
    _close_void_elements(root)
    return root, bool(_DOCTYPE.match(html[:4096]))


def _close_void_elements(root: HtmlElement) -> None:
    """libxml2 predates HTML5 and nests what follows <source>, <embed>, <track>, <wbr> inside
    them; browsers treat them as empty. Move the content out so the tree matches the browser's
    (dropping a failed <source> must not drop the <img> after it)."""
    for element in list(root.iter(*_VOID_UNKNOWN_TO_LIBXML2)):
        parent = element.getparent()
        if parent is None or not (len(element) or element.text):
            continue
        inner_text, tail = element.text or "", element.tail or ""
        element.text = None
        children = list(element)
        for offset, child in enumerate(children, start=1):
            parent.insert(parent.index(element) + offset, child)
        last = children[-1] if children else None
        element.tail = (inner_text + ("" if last is not None else tail)) or None
        if last is not None:
            last.tail = ((last.tail or "") + tail) or None


def serialize(root: HtmlElement, had_doctype: bool) -> str:
    """The document as text; libxml2 invents an HTML 4 doctype when there was none: drop it,
    because a doctype changes the rendering mode."""
    text = etree.tostring(root.getroottree(), encoding="unicode", method="html")
    if not had_doctype and text.startswith("<!DOCTYPE"):
        text = text.split(">", 1)[1].removeprefix("\n")
    return text


def head_of(root: HtmlElement) -> HtmlElement:
    """The <head>, created if the page had none (a frameset page, a fragment)."""
    head = root.find("head")
    if head is None:
        head = lxml.html.Element("head")
        root.insert(0, head)
    return head


def charset_of(root: HtmlElement) -> str | None:
    """The charset that the page's own <meta> declares, if any."""
    for meta in root.iter("meta"):
        if meta.get("charset"):
            return meta.get("charset", "").strip() or None
        if (meta.get("http-equiv") or "").strip().lower() == "content-type":
            match = _CHARSET_IN_CONTENT.search(meta.get("content") or "")
            if match:
                return match.group(1)
    return None


def take_base(root: HtmlElement, page_url: str) -> str:
    """The base URL for references (the first ``<base href>``), removing every <base>: once
    the file leaves its site, a base would point references back at the network."""
    bases = list(root.iter("base"))
    href = next((b.get("href") for b in bases if b.get("href") is not None), None)
    for base in bases:
        base.drop_tree()
    return urls.usable_base(href, page_url)


def add_content_security_policy(root: HtmlElement) -> None:
    """Insert the CSP <meta> first in <head> (a policy only covers what follows it), but after
    a leading charset <meta>, which must stay within the first bytes of the file."""
    head = head_of(root)
    meta = lxml.html.Element("meta")
    meta.set("http-equiv", "Content-Security-Policy")
    meta.set("content", CONTENT_SECURITY_POLICY)
    first = head[0] if len(head) else None
    at = 1 if first is not None and _is_charset_meta(first) else 0
    head.insert(at, meta)


def _is_charset_meta(element: HtmlElement) -> bool:
    if element.tag != "meta":
        return False
    equiv = (element.get("http-equiv") or "").strip().lower()
    return element.get("charset") is not None or equiv == "content-type"
