"""Remove what runs, redirects or loads on its own: scripts, handlers, refreshes, frames,
plugins, media streams, external SVG references. A snapshot must open with no network."""

import html

from lxml import etree
from lxml.html import HtmlElement

from . import urls

# Attributes that make the browser send a request by themselves (pings on click, an appcache
# manifest, plugin code bases, the pre-srcset low-resolution image of old browsers).
_NETWORK_ATTRIBUTES = frozenset({"ping", "manifest", "codebase", "archive", "lowsrc", "dynsrc"})
_FRAMES = ("iframe", "frame", "portal", "fencedframe")
_REMOVED_META = frozenset(
    {"refresh", "content-security-policy", "content-security-policy-report-only"}
)
# Navigation and form targets: kept as links, made absolute since <base> is gone.
_LINK_ATTRIBUTES = (
    ("a", "href"),
    ("area", "href"),
    ("form", "action"),
    ("button", "formaction"),
    ("input", "formaction"),
)
_PLACEHOLDER = (
    '<p style="font:13px/1.5 sans-serif;color:#777;margin:8px">'
    "嵌入内容未存档 · Embedded content not archived<br>{}</p>"
)


def elements(root: HtmlElement, *tags: str) -> list[HtmlElement]:
    """A list (safe to mutate the tree while looping) of the elements with these tags."""
    return list(root.iter(*tags))


def remove_scripts(root: HtmlElement) -> None:
    for script in elements(root, "script"):
        script.drop_tree()  # keeps the text that followed the element


def remove_meta_directives(root: HtmlElement) -> None:
    """Refreshes would navigate away; the page's own CSP could block our data: URIs."""
    for meta in elements(root, "meta"):
        if (meta.get("http-equiv") or "").strip().lower() in _REMOVED_META:
            meta.drop_tree()


def strip_active_attributes(root: HtmlElement) -> None:
    """Drop on* handlers, self-loading attributes and javascript:/vbscript: URLs."""
    for element in root.iter(etree.Element):
        for name, value in list(element.attrib.items()):
            if name.startswith("on") or name in _NETWORK_ATTRIBUTES:
                del element.attrib[name]
            elif urls.is_script_url(value):
                _disarm(element, name)


def _disarm(element: HtmlElement, name: str) -> None:
    if name == "href" and element.tag in ("a", "area"):
        element.set("href", "#")  # keep it looking like a link
    else:
        del element.attrib[name]


def disable_frames(root: HtmlElement, base: str) -> None:
    """Keep frames for the layout, but empty: a placeholder says what was embedded.
    A srcdoc document inherits the page's CSP, so the placeholder cannot load anything."""
    for frame in elements(root, *_FRAMES):
        src = urls.resolve(frame.get("src") or "", base)
        frame.attrib.pop("src", None)
        frame.attrib.pop("srcdoc", None)  # its HTML could reference the network
        if frame.tag == "iframe" and src:
            frame.set("srcdoc", _PLACEHOLDER.format(html.escape(src)))


def remove_plugins(root: HtmlElement) -> None:
    """<embed> goes; <object>/<applet> give way to their fallback content, as with no plugin."""
    for element in elements(root, "param", "embed", "bgsound"):
        element.drop_tree()
    for element in elements(root, "object", "applet"):
        element.drop_tag()


def remove_media_sources(root: HtmlElement) -> None:
    """Video and audio streams are not inlined (size); the poster image stays. Only a
    <picture> gives <source> a meaning we keep."""
    for media in elements(root, "video", "audio"):
        media.attrib.pop("src", None)
    for child in elements(root, "source", "track"):
        parent = child.getparent()
        if child.tag == "track" or parent is None or parent.tag != "picture":
            child.drop_tree()


def drop_external_svg_references(root: HtmlElement) -> None:
    """SVG <use>, gradients, patterns... may point into other files; data: URIs do not work in
    <use>, so those references are removed (<image>/<feImage> were inlined before)."""
    for element in root.iter(etree.Element):
        if element.tag in ("a", "area", "link"):
            continue
        for name in ("href", "xlink:href"):
            value = element.get(name)
            if value is not None and _is_external(value):
                del element.attrib[name]


def _is_external(ref: str) -> bool:
    cleaned = urls.clean(ref)
    return bool(cleaned) and not cleaned.startswith("#") and not _is_inert(cleaned)


def _is_inert(ref: str) -> bool:
    return urls.scheme_of(ref) in urls.INERT_SCHEMES


def absolutize_links(root: HtmlElement, base: str) -> None:
    """Links still lead to the live web when clicked; without <base> they must be absolute."""
    for tag, attribute in _LINK_ATTRIBUTES:
        for element in root.iter(tag):
            value = element.get(attribute)
            if value is None or urls.clean(value).startswith("#"):
                continue
            resolved = urls.resolve(value, base)
            if resolved:
                element.set(attribute, resolved)
