"""Images: lazy-loading attributes promoted, <noscript> fallbacks, and every image inlined.

srcset: each <img>/<source> keeps exactly one candidate, the largest, inlined with its
descriptor (and ``sizes`` kept), so the picture is as sharp as the page could show it and is
laid out at the same size, at the cost of one fetch per image instead of one per candidate.
If that candidate fails, an <img> falls back to its ``src`` as a browser would, and a
<picture> <source> is removed so the browser falls through to the next source or the <img>.
"""

from collections.abc import Iterable

from lxml.html import HtmlElement

from . import urls
from .assets import Inliner
from .neutralize import elements

# Attributes where lazy-loading scripts keep the real address (zhihu: data-actualsrc).
LAZY_SRC = ("data-src", "data-original", "data-lazy-src", "data-lazy", "data-actualsrc")
LAZY_SRCSET = ("data-srcset", "data-lazy-srcset")
_BACKGROUND_TAGS = ("body", "table", "thead", "tbody", "tfoot", "tr", "td", "th")


def promote_lazy_images(root: HtmlElement) -> None:
    """Scripts are gone, so move lazy addresses into src/srcset where the browser looks."""
    for element in elements(root, "img", "source"):
        _promote(element, LAZY_SRCSET, "srcset")
        if element.tag == "img":
            _promote(element, LAZY_SRC, "src")


def _promote(element: HtmlElement, lazy_names: tuple[str, ...], target: str) -> None:
    values = [element.attrib.pop(name) for name in lazy_names if name in element.attrib]
    real = next((v for v in values if urls.clean(v)), None)
    if real is not None:
        element.set(target, real)


def unwrap_noscript_fallbacks(root: HtmlElement, base: str) -> None:
    """A <noscript> holding images is a lazy-load fallback, one holding style sheets stands
    in for a script that loads CSS late: with scripts gone, show it, unless its images are
    already on the page (the promoted lazy image). Tracking pixels in it are dropped. Any other
    <noscript> ("please enable JavaScript") stays, hidden as the browser hides it."""
    shown = _image_urls([i for i in root.iter("img") if not _in_noscript(i)], base)
    for noscript in elements(root, "noscript"):
        for pixel in [i for i in noscript.iter("img") if _is_tracking_pixel(i)]:
            pixel.drop_tree()
        images = list(noscript.iter("img"))
        if _holds_styles(noscript) or (images and not _image_urls(images, base) <= shown):
            noscript.drop_tag()
        elif images:
            noscript.drop_tree()


def _holds_styles(noscript: HtmlElement) -> bool:
    links = noscript.iter("link")
    stylesheets = any("stylesheet" in (link.get("rel") or "").lower() for link in links)
    return stylesheets or next(noscript.iter("style"), None) is not None


def _in_noscript(element: HtmlElement) -> bool:
    return any(a.tag == "noscript" for a in element.iterancestors())


def _image_urls(images: Iterable[HtmlElement], base: str) -> set[str]:
    found: set[str] = set()
    for image in images:
        refs = [image.get("src") or ""]
        refs += [c.url for c in urls.parse_srcset(image.get("srcset") or "")]
        found.update(u for u in (urls.resolve(r, base) for r in refs) if u)
    return found


def _is_tracking_pixel(image: HtmlElement) -> bool:
    """1x1 or hidden images in <noscript> count visits of script-less browsers."""
    tiny = {image.get("width", "").strip(), image.get("height", "").strip()} & {"0", "1"}
    style = (image.get("style") or "").replace(" ", "").lower()
    return bool(tiny) or "display:none" in style


def inline_images(root: HtmlElement, base: str, inliner: Inliner) -> None:
    """Inline every image reference of the page; failed ones are removed."""
    for element in elements(root, "img", "source", "input", "video", "image", "feimage"):
        _inline_element(element, base, inliner)
    for element in elements(root, *_BACKGROUND_TAGS):
        inline_attribute(element, "background", base, inliner)


def _inline_element(element: HtmlElement, base: str, inliner: Inliner) -> None:
    tag = element.tag
    if tag == "img":
        _inline_img(element, base, inliner)
    elif tag == "source" and _in_picture(element):
        if not _inline_srcset(element, base, inliner):
            element.drop_tree()
    elif tag == "input" and (element.get("type") or "").strip().lower() == "image":
        inline_attribute(element, "src", base, inliner)
    elif tag == "video":
        inline_attribute(element, "poster", base, inliner)
    elif tag == "image" and not _in_svg(element):  # browsers parse it as <img>
        _inline_img(element, base, inliner)
    elif tag in ("image", "feimage"):
        element.attrib.pop("src", None)  # an old fallback trick some browsers still fetch
        inline_attribute(element, "href", base, inliner)
        inline_attribute(element, "xlink:href", base, inliner)


def _in_svg(element: HtmlElement) -> bool:
    return any(a.tag == "svg" for a in element.iterancestors())


def _in_picture(source: HtmlElement) -> bool:
    parent = source.getparent()
    return parent is not None and parent.tag == "picture"


def _inline_img(img: HtmlElement, base: str, inliner: Inliner) -> None:
    if img.get("srcset") is not None and _inline_srcset(img, base, inliner):
        img.attrib.pop("src", None)  # srcset wins in every browser; src would double the bytes
        return
    img.attrib.pop("srcset", None)
    inline_attribute(img, "src", base, inliner)


def _inline_srcset(element: HtmlElement, base: str, inliner: Inliner) -> bool:
    """Reduce srcset to its largest candidate, inlined; False (srcset removed) if that fails."""
    candidates = urls.by_preference(urls.parse_srcset(element.get("srcset") or ""))
    data = inliner.data_uri(candidates[0].url, base) if candidates else None
    if data is None:
        element.attrib.pop("srcset", None)
        return False
    element.set("srcset", f"{data} {candidates[0].descriptor}".strip())
    return True


def inline_attribute(element: HtmlElement, name: str, base: str, inliner: Inliner) -> None:
    """Replace a URL attribute by a data: URI, or remove it if the asset cannot be had."""
    value = element.get(name)
    if value is None or not urls.clean(value):
        return  # an empty URL loads nothing
    # "#..." would load the page itself as an image: nothing worth fetching
    data = None if urls.clean(value).startswith("#") else inliner.data_uri(value, base)
    if data is None:
        del element.attrib[name]
    else:
        element.set(name, data)
