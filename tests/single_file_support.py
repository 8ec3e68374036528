"""Shared helpers for the single-file builder's tests (tests/test_single_file_*.py).

The fetch callback is a real in-memory site (URL -> media type and bytes of real small files);
no database and no HTTP server are needed. ``network_references`` is an independent checker
(its own lxml + tinycss2 walk) listing every reference in a document that a browser would load.
``FULL_PAGE`` and ``full_site()`` are a full page with a bit of everything, and the ``full``
fixture (``full_page_fixture``) builds it.
"""

import base64
import re
import struct
import zlib
from collections.abc import Iterator
from pathlib import Path

import lxml.html
import pytest
import tinycss2
from lxml import etree

from linkhome.capture.steps.single_file import Asset, AssetError, SingleFile, build_single_file

PAGE = "https://news.example.com/2024/05/story.html"
SITE = "https://news.example.com"


# --- real small files -----------------------------------------------------------------------


def make_png(width: int = 1, height: int = 1) -> bytes:
    """A real, valid RGBA PNG (transparent), built the way the format says."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        crc = zlib.crc32(kind + data)
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", crc)

    header = struct.pack(">IIBBBBB", width, height, 8, 6, 0, 0, 0)
    rows = b"".join(b"\x00" + b"\x00\x00\x00\x00" * width for _ in range(height))
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(rows))
        + chunk(b"IEND", b"")
    )


PNG = make_png()
PNG_2X = make_png(2, 2)
PNG_3X = make_png(3, 3)
GIF = base64.b64decode("R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7")
SVG = b'<svg xmlns="http://www.w3.org/2000/svg" width="4" height="4"><rect width="4"/></svg>'
ICO = b"\x00\x00\x01\x00\x01\x00\x01\x01\x00\x00\x01\x00\x20\x00" + PNG  # PNG-in-ICO


def system_font() -> bytes:
    """A real TrueType font from this machine (the smallest found)."""
    fonts = sorted(Path("/usr/share/fonts").rglob("*.ttf"), key=lambda p: p.stat().st_size)
    if not fonts:
        pytest.skip("no TrueType font under /usr/share/fonts")
    return fonts[0].read_bytes()


# --- the in-memory site ---------------------------------------------------------------------


class Site:
    """The fetch callback: serves a dict of URL -> (media type, bytes) and logs each call."""

    def __init__(self, files: dict[str, tuple[str, bytes]]) -> None:
        self.files = files
        self.calls: list[str] = []

    def __call__(self, url: str) -> Asset | None:
        self.calls.append(url)
        if url not in self.files:
            return None
        mime, body = self.files[url]
        if mime == "raise":
            raise AssetError(body.decode())
        return Asset(url=url, mime=mime, body=body)


def build(html: str, files: dict[str, tuple[str, bytes]], **kwargs: object) -> SingleFile:
    return build_single_file(html, PAGE, Site(files), **kwargs)


def page(head: str = "", body: str = "") -> str:
    return (
        f'<!DOCTYPE html><html><head><meta charset="utf-8">{head}</head><body>{body}</body></html>'
    )


def tree(html: str) -> lxml.html.HtmlElement:
    return lxml.html.document_fromstring(
        html.encode(), parser=lxml.html.HTMLParser(encoding="utf-8")
    )


def data_uri(mime: str, body: bytes) -> str:
    return f"data:{mime};base64,{base64.b64encode(body).decode()}"


def decode_data_uri(uri: str) -> tuple[str, bytes]:
    header, _, payload = uri.partition(",")
    assert header.startswith("data:") and header.endswith(";base64"), uri[:60]
    return header[5:-7], base64.b64decode(payload.split("#")[0])


# --- the independent checker ----------------------------------------------------------------

# Which attribute of which element makes a browser fetch something by itself.
LOADING_ATTRIBUTES = {
    "img": ("src", "srcset"),
    "image": ("src", "href", "xlink:href"),
    "feimage": ("href", "xlink:href"),
    "source": ("src", "srcset"),
    "input": ("src",),
    "iframe": ("src",),
    "frame": ("src",),
    "embed": ("src",),
    "script": ("src",),
    "audio": ("src",),
    "video": ("src", "poster"),
    "track": ("src",),
    "object": ("data", "codebase"),
    "link": ("href", "imagesrcset"),
    "use": ("href", "xlink:href"),
    "body": ("background",),
    "table": ("background",),
    "td": ("background",),
    "th": ("background",),
    "tr": ("background",),
    "html": ("manifest",),
}
CSS_ATTRIBUTES = ("style", "fill", "stroke", "clip-path", "mask", "filter")


def is_local(ref: str, *, fragments_are_local: bool) -> bool:
    ref = ref.strip()
    if not ref or ref.lower().startswith(("data:", "about:")):
        return True
    return fragments_are_local and ref.startswith("#")


def css_references(css: str) -> list[str]:
    """Every url()/image-set string/@import a browser would load from this CSS."""
    found: list[str] = []
    walk_css(tinycss2.parse_component_value_list(css), found)
    return [r for r in found if not is_local(r, fragments_are_local=True)]


def walk_css(nodes: list, found: list[str]) -> None:
    skip_until_semicolon = False
    for node in nodes:
        if node.type == "at-keyword" and node.lower_value == "namespace":
            skip_until_semicolon = True  # a namespace URL is a name, not a resource
        elif node.type == "literal" and node.value == ";":
            skip_until_semicolon = False
        elif skip_until_semicolon:
            continue
        elif node.type == "at-keyword" and node.lower_value == "import":
            found.append("@import")
        elif node.type == "url":
            found.append(node.value)
        elif node.type == "error" and node.kind == "bad-url":
            found.append("url([bad url])")
        elif node.type == "function":
            if node.lower_name in ("url", "src", "image-set", "-webkit-image-set"):
                found.extend(a.value for a in node.arguments if a.type == "string")
            walk_css(node.arguments, found)
        elif getattr(node, "content", None) is not None:
            walk_css(node.content, found)


def network_references(html: str) -> list[str]:
    """Every reference in the document that would load something (links excepted)."""
    found: list[str] = []
    for element in tree(html).iter(etree.Element):
        found.extend(_element_references(element))
    return found


def _element_references(element: lxml.html.HtmlElement) -> Iterator[str]:
    tag = element.tag
    if tag in ("script", "base", "embed", "object", "applet"):
        yield f"<{tag}> element"
    if tag == "meta" and (element.get("http-equiv") or "").lower() == "refresh":
        yield "<meta http-equiv=refresh>"
    for name, value in element.attrib.items():
        if name.startswith("on") or re.match(r"\s*(java|vb)script:", value, re.I):
            yield f"<{tag} {name}> script"
        elif name in LOADING_ATTRIBUTES.get(tag, ()):
            yield from _attribute_references(tag, name, value)
        elif name in CSS_ATTRIBUTES:
            yield from (f"<{tag} {name}> {r}" for r in css_references(value))
        elif name == "ping":
            yield f"<{tag} ping> {value}"
    if tag == "style" and element.text:
        yield from (f"<style> {r}" for r in css_references(element.text))


def _attribute_references(tag: str, name: str, value: str) -> Iterator[str]:
    refs = [c.split()[0] for c in value.split(", ") if c.split()] if "srcset" in name else [value]
    local_fragments = tag == "use"
    for ref in refs:
        if not is_local(ref, fragments_are_local=local_fragments):
            yield f"<{tag} {name}> {ref[:100]}"


# --- a full page with a bit of everything -----------------------------------------------------

SITE_CSS = b"""@charset "utf-8";
@import url("base.css");
@import "print.css" print;
/* a commented reference must not load: url(commented.png) */
body { background: #fff url('../img/bg.png?v=3') repeat-x; }
.quote::before { content: "url(not-a-reference.png)"; }
.logo { background-image: image-set("../img/logo.png" 1x, "../img/logo@2x.png" 2x); }
.blur { filter: url(#blur); }
@font-face {
  font-family: "Body";
  src: url(../fonts/body.eot);
  src: url(../fonts/body.eot?#iefix) format("embedded-opentype"),
       url(../fonts/body.ttf) format("truetype");
}
"""


def full_site() -> dict[str, tuple[str, bytes]]:
    return {
        f"{SITE}/static/css/site.css": ("text/css", SITE_CSS),
        f"{SITE}/static/css/base.css": (
            "text/css",
            b"h1{background:url(//cdn.example.net/h1.gif)}",
        ),
        f"{SITE}/static/css/print.css": ("text/css", b"a::after{content:attr(href)}"),
        f"{SITE}/static/img/bg.png?v=3": ("image/png", PNG),
        f"{SITE}/static/img/logo.png": ("image/png", PNG),
        f"{SITE}/static/img/logo@2x.png": ("image/png", PNG_2X),
        f"{SITE}/static/fonts/body.ttf": ("font/ttf", system_font()),
        "https://cdn.example.net/h1.gif": ("image/gif", GIF),
        f"{SITE}/2024/05/photo-400.png": ("image/png", PNG),
        f"{SITE}/2024/05/photo-800.png": ("image/png", PNG_2X),
        f"{SITE}/2024/05/lazy.png": ("image/png", PNG_3X),
        f"{SITE}/favicon.png": ("image/png", PNG),
        f"{SITE}/poster.svg": ("image/svg+xml", SVG),
    }


FULL_PAGE = """<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<meta http-equiv="refresh" content="30; url=/elsewhere">
<title>Story</title>
<link rel="stylesheet" href="/static/css/site.css">
<link rel="preload" href="/static/app.js" as="script">
<link rel="dns-prefetch" href="//tracker.example.org">
<link rel="manifest" href="/manifest.json">
<link rel="shortcut icon" href="/favicon.png">
<script src="/static/app.js"></script>
<script>document.write('<img src="/tracker.gif">')</script>
</head>
<body onload="init()">
<h1 onclick="boom()">Story</h1>
<img src="photo-400.png" srcset="photo-400.png 400w, photo-800.png 800w" sizes="50vw" alt="a">
<img class="lazy" src="data:image/gif;base64,R0lGODlhAQABAAAAACw=" data-src="lazy.png" alt="b">
<noscript><img src="lazy.png" alt="b"></noscript>
<img src="missing.png" alt="gone">
<video poster="/poster.svg" src="/movie.mp4" controls><source src="/movie.webm"></video>
<iframe src="https://video.example.org/embed/1" width="560" height="315"></iframe>
<object data="/flash.swf"><param name="movie" value="/flash.swf"><p>fallback</p></object>
<embed src="/plugin.swf">
<div style="background:url(/static/img/logo.png)">styled</div>
<a href="javascript:void(0)">js link</a> <a href="../about.html" ping="/ping">about</a>
</body></html>"""


# Test modules import this under its function name; they ask for it as `full`.
@pytest.fixture(name="full")
def full_page_fixture() -> SingleFile:
    return build(FULL_PAGE, full_site())
