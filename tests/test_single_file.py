"""The single-file builder: every asset inlined, nothing left that could reach the network.

The fetch callback is a real in-memory site (URL -> media type and bytes of real small files);
no database and no HTTP server are needed. ``network_references`` is an independent checker
(its own lxml + tinycss2 walk) listing every reference in a document that a browser would load.
"""

import base64
import gzip
import re
import struct
import zlib
from collections.abc import Iterator
from pathlib import Path

import lxml.html
import pytest
import tinycss2
from lxml import etree

from linkhome.capture.steps.single_file import (
    CONTENT_SECURITY_POLICY,
    Asset,
    AssetError,
    SingleFile,
    asset_urls,
    build_single_file,
)
from linkhome.capture.steps.single_file.urls import parse_srcset
from linkhome.testing_corpus import corpus_dir

PAGE = "https://news.example.com/2024/05/story.html"
SITE = "https://news.example.com"
CORPUS = corpus_dir()


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


@pytest.fixture
def full() -> SingleFile:
    return build(FULL_PAGE, full_site())


def test_the_full_page_has_no_network_references(full: SingleFile) -> None:
    assert network_references(full.html) == []


def test_the_checker_sees_what_the_original_page_would_load() -> None:
    found = network_references(FULL_PAGE)
    assert any("site.css" in r for r in found) and any("photo-800.png" in r for r in found)
    assert any("script" in r for r in found) and any("refresh" in r for r in found)


def test_the_full_page_inlines_every_available_asset(full: SingleFile) -> None:
    assert set(full_site()) - set(full.assets) == {f"{SITE}/2024/05/photo-400.png"}  # 800w won
    assert full.failed == {f"{SITE}/2024/05/missing.png": "not fetched"}


# --- stylesheets ----------------------------------------------------------------------------


def test_it_replaces_a_linked_stylesheet_by_a_style_element() -> None:
    html = page('<link rel="stylesheet" href="a.css" media="screen">tail')
    result = build(html, {f"{SITE}/2024/05/a.css": ("text/css", b"p{color:red}")})
    style = tree(result.html).find(".//style")
    assert style.text == "p{color:red}" and style.get("media") == "screen"
    assert tree(result.html).find(".//link") is None and "tail" in result.html


def test_it_resolves_css_urls_against_the_stylesheet_not_the_page(full: SingleFile) -> None:
    css = tree(full.html).find(".//head/style").text
    assert f'url("{data_uri("image/png", PNG)}") repeat-x' in css  # '../img/bg.png?v=3'
    assert f"{SITE}/static/img/bg.png?v=3" in full.assets


def test_it_inlines_imports_as_css_text_under_their_media(full: SingleFile) -> None:
    css = tree(full.html).find(".//head/style").text
    assert "@import" not in css and "@media print {a::after{content:attr(href)}}" in css
    assert css.index("h1{background:url(data:image/gif") < css.index("body {")
    assert "@charset" not in css


def test_it_resolves_protocol_relative_urls_inside_imported_css(full: SingleFile) -> None:
    assert "https://cdn.example.net/h1.gif" in full.assets


def test_it_leaves_urls_in_comments_and_strings_alone(full: SingleFile) -> None:
    assert not any("commented" in url or "not-a-reference" in url for url in full.assets)
    css = tree(full.html).find(".//head/style").text
    assert "url(commented.png)" in css and '"url(not-a-reference.png)"' in css


def test_it_keeps_same_document_fragments_in_css(full: SingleFile) -> None:
    assert "filter: url(#blur)" in tree(full.html).find(".//head/style").text


def test_it_inlines_image_set_candidates(full: SingleFile) -> None:
    css = tree(full.html).find(".//head/style").text
    assert (
        f'image-set("{data_uri("image/png", PNG)}" 1x, "{data_uri("image/png", PNG_2X)}" 2x)' in css
    )


def test_it_inlines_a_real_font_and_fetches_only_its_best_format() -> None:
    site = Site(full_site())
    result = build_single_file(FULL_PAGE, PAGE, site)
    css = tree(result.html).find(".//head/style").text
    font = re.search(r"url\((data:font/ttf;base64,[^)]+)\)", css).group(1)
    assert decode_data_uri(font) == ("font/ttf", system_font())
    assert not any(".eot" in url for url in site.calls)
    assert "embedded-opentype" not in css and css.count("src:") == 1


def test_it_fetches_no_font_format_but_the_first_woff2() -> None:
    css = b"@font-face{src:local(X),url(f.woff) format('woff'),url(f.woff2) format('woff2')}"
    files = {f"{SITE}/a.css": ("text/css", css), f"{SITE}/f.woff2": ("", b"wOF2" + bytes(40))}
    site = Site(files)
    result = build_single_file(page('<link rel="stylesheet" href="/a.css">'), PAGE, site)
    assert site.calls == [f"{SITE}/a.css", f"{SITE}/f.woff2", f"{SITE}/favicon.ico"]
    assert "local(X)," in result.html and "data:font/woff2;base64," in result.html


def test_it_stops_at_an_import_cycle() -> None:
    files = {
        f"{SITE}/a.css": ("text/css", b'@import "b.css"; .a{color:red}'),
        f"{SITE}/b.css": ("text/css", b'@import "a.css"; .b{color:blue}'),
    }
    site = Site(files)
    result = build_single_file(page('<link rel="stylesheet" href="/a.css">'), PAGE, site)
    assert tree(result.html).find(".//style").text.strip() == ".b{color:blue} .a{color:red}"
    assert site.calls.count(f"{SITE}/a.css") == 1 and site.calls.count(f"{SITE}/b.css") == 1


def test_it_limits_import_depth() -> None:
    files = {
        f"{SITE}/{i}.css": ("text/css", f'@import "{i + 1}.css"; .c{i}{{}}'.encode())
        for i in range(9)
    }
    result = build(page('<link rel="stylesheet" href="/0.css">'), files)
    assert tree(result.html).find(".//style").text.split() == [
        f".c{i}{{}}" for i in range(4, -1, -1)
    ]
    assert result.failed == {f"{SITE}/5.css": "skipped: @import chain longer than 5 style sheets"}


def test_it_ignores_an_import_after_other_rules_as_browsers_do() -> None:
    html = page('<style>p{color:red} @import "late.css";</style>')
    site = Site({f"{SITE}/late.css": ("text/css", b"p{color:blue}")})
    result = build_single_file(html, PAGE, site)
    assert f"{SITE}/late.css" not in site.calls and "@import" not in result.html


def test_it_wraps_imports_with_layer_supports_and_media() -> None:
    css = "@import url(x.css) layer(base) supports(display: grid) screen and (min-width: 9em);"
    result = build(page(f"<style>{css}</style>"), {f"{SITE}/2024/05/x.css": ("text/css", b"p{}")})
    expected = "@media screen and (min-width: 9em) {@supports (display: grid) {@layer base {p{}}}}"
    assert tree(result.html).find(".//style").text == expected


def test_a_missing_stylesheet_is_recorded_and_its_link_removed() -> None:
    html = page('<link rel="stylesheet" href="/gone.css"><link rel="stylesheet" href="/a.css">')
    result = build(html, {f"{SITE}/a.css": ("text/css", b"p{}")})
    assert result.failed == {f"{SITE}/gone.css": "not fetched"}
    assert [s.text for s in tree(result.html).iter("style")] == ["p{}"]
    assert tree(result.html).find(".//link") is None


def test_it_resolves_a_redirected_stylesheets_urls_against_its_final_url() -> None:
    def fetch(url: str) -> Asset | None:
        if url == f"{SITE}/old/a.css":
            return Asset(f"{SITE}/new/a.css", "text/css", b"p{background:url(bg.png)}")
        return Asset(url, "image/png", PNG) if url == f"{SITE}/new/bg.png" else None

    result = build_single_file(page('<link rel="stylesheet" href="/old/a.css">'), PAGE, fetch)
    assert result.assets == [f"{SITE}/old/a.css", f"{SITE}/new/bg.png"]


def test_it_accepts_a_css_type_with_parameters() -> None:
    html = page('<link rel="stylesheet" type="text/css; charset=utf-8" href="/a.css">')
    result = build(html, {f"{SITE}/a.css": ("text/css", b"p{}")})
    assert [s.text for s in tree(result.html).iter("style")] == ["p{}"]


def test_it_inlines_svg_presentation_attributes_but_no_look_alikes_outside_svg() -> None:
    body = (
        '<svg><rect fill="url(/p.svg#g)" stroke="url(#local)"/></svg>'
        '<input mask="url(/p.svg)" data-x="url(/p.svg)">'
    )
    result = build(page(body=body), {f"{SITE}/p.svg": ("image/svg+xml", SVG)})
    rect, field = tree(result.html).find(".//rect"), tree(result.html).find(".//input")
    assert rect.get("fill") == f"url({data_uri('image/svg+xml', SVG)}#g)"
    assert rect.get("stroke") == "url(#local)" and field.get("mask") == "url(/p.svg)"


def test_it_drops_alternate_and_disabled_stylesheets_without_fetching() -> None:
    html = page(
        '<link rel="alternate stylesheet" href="/alt.css" title="x">'
        '<link rel="stylesheet" href="/off.css" disabled>'
    )
    site = Site({})
    result = build_single_file(html, PAGE, site)
    assert site.calls == [f"{SITE}/favicon.ico"] and "<style" not in result.html


def test_it_inlines_style_elements_and_style_attributes() -> None:
    html = page(
        "<style>.a{background:url(/img/a.png)}</style>",
        "<p style=\"background:url('/img/a.png')\">x</p>",
    )
    result = build(html, {f"{SITE}/img/a.png": ("image/png", PNG)})
    uri = data_uri("image/png", PNG)
    assert f".a{{background:url({uri})}}" in result.html
    assert tree(result.html).find(".//p").get("style") == f'background:url("{uri}")'


def test_it_finds_escaped_url_functions_in_css() -> None:
    html = page(r"<style>.a{background:\75 rl(/img/a.png)}</style>")
    result = build(html, {f"{SITE}/img/a.png": ("image/png", PNG)})
    assert result.assets == [f"{SITE}/img/a.png"] and network_references(result.html) == []


def test_it_decodes_style_sheets_with_the_page_charset() -> None:
    css = '.t{font-family:"微软雅黑"}'.encode("gbk")
    html = '<html><head><meta charset="gbk"><link rel="stylesheet" href="/gbk.css"></head></html>'
    result = build(html, {f"{SITE}/gbk.css": ("text/css", css)})
    assert '"微软雅黑"' in tree(result.html).find(".//style").text


def test_the_charset_argument_overrides_the_pages_meta() -> None:
    css = '.t{font-family:"微软雅黑"}'.encode("gb18030")
    html = page('<link rel="stylesheet" href="/gbk.css">')  # meta rewritten to utf-8 upstream
    result = build(html, {f"{SITE}/gbk.css": ("text/css", css)}, charset="gb18030")
    assert '"微软雅黑"' in tree(result.html).find(".//style").text


def test_it_escapes_a_style_end_tag_inside_inlined_css() -> None:
    css = b'p::after{content:"</style><script>alert(1)</script>"}'
    result = build(
        page('<link rel="stylesheet" href="/x.css">'), {f"{SITE}/x.css": ("text/css", css)}
    )
    assert tree(result.html).find(".//script") is None
    assert r"<\/style><script>" in tree(result.html).find(".//style").text


# --- base, URLs -----------------------------------------------------------------------------


def test_it_resolves_against_base_href_and_removes_base() -> None:
    html = page(
        '<base href="https://cdn.example.net/assets/">', '<img src="pic.png"><a href="x.html">x</a>'
    )
    result = build(html, {"https://cdn.example.net/assets/pic.png": ("image/png", PNG)})
    assert result.assets == ["https://cdn.example.net/assets/pic.png"]
    assert tree(result.html).find(".//base") is None
    assert tree(result.html).find(".//a").get("href") == "https://cdn.example.net/assets/x.html"


@pytest.mark.parametrize(
    ("ref", "url"),
    [
        ("../img/a.png", f"{SITE}/2024/img/a.png"),
        ("/img/a.png?w=1&h=2", f"{SITE}/img/a.png?w=1&h=2"),
        ("//cdn.example.net/a.png", "https://cdn.example.net/a.png"),
        ("  a.png\n", f"{SITE}/2024/05/a.png"),
        ("sprite.svg#icon", f"{SITE}/2024/05/sprite.svg"),
    ],
)
def test_it_resolves_relative_references_like_a_browser(ref: str, url: str) -> None:
    site = Site({url: ("image/png", PNG)})
    result = build_single_file(page(body=f'<img src="{ref}">'), PAGE, site)
    assert site.calls[0] == url and result.assets == [url]


def test_it_keeps_the_fragment_on_the_data_uri() -> None:
    result = build(
        page(body='<img src="s.svg#icon">'), {f"{SITE}/2024/05/s.svg": ("image/svg+xml", SVG)}
    )
    assert tree(result.html).find(".//img").get("src") == data_uri("image/svg+xml", SVG) + "#icon"


# --- images ---------------------------------------------------------------------------------


def test_it_reduces_srcset_to_the_largest_candidate_inlined(full: SingleFile) -> None:
    img = tree(full.html).find(".//img")
    assert img.get("srcset") == data_uri("image/png", PNG_2X) + " 800w"
    assert img.get("sizes") == "50vw" and img.get("src") is None


def test_it_prefers_the_highest_density_and_falls_back_to_src() -> None:
    html = page(body='<img src="a.png" srcset="a.png 1x, a@3x.png 3x, a@2x.png 2x">')
    site = Site({f"{SITE}/2024/05/a.png": ("image/png", PNG)})
    result = build_single_file(html, PAGE, site)
    img = tree(result.html).find(".//img")
    assert site.calls[:2] == [f"{SITE}/2024/05/a@3x.png", f"{SITE}/2024/05/a.png"]
    assert img.get("src") == data_uri("image/png", PNG) and img.get("srcset") is None
    assert result.failed == {f"{SITE}/2024/05/a@3x.png": "not fetched"}


def test_it_splits_srcset_like_the_html_spec() -> None:
    value = " https://i.example/w_3,h_2/a.jpg 300w,b.jpg 2x , c.jpg,, data:image/png;base64,AA= 1x"
    parsed = [(c.url, c.descriptor) for c in parse_srcset(value)]
    assert parsed == [
        ("https://i.example/w_3,h_2/a.jpg", "300w"),
        ("b.jpg", "2x"),
        ("c.jpg", ""),
        ("data:image/png;base64,AA=", "1x"),
    ]


def test_it_inlines_picture_sources_and_drops_the_ones_that_fail() -> None:
    body = (
        '<picture><source type="image/avif" srcset="a.avif"><source media="(min-width:9em)"'
        ' srcset="a-wide.png 2x"><img src="a.png"></picture>'
    )
    files = {
        f"{SITE}/2024/05/a-wide.png": ("image/png", PNG_2X),
        f"{SITE}/2024/05/a.png": ("image/png", PNG),
    }
    picture = tree(build(page(body=body), files).html).find(".//picture")
    assert [c.tag for c in picture] == ["source", "img"]
    assert picture[0].get("srcset") == data_uri("image/png", PNG_2X) + " 2x"
    assert picture[1].get("src") == data_uri("image/png", PNG)


@pytest.mark.parametrize(
    ("attribute", "element"),
    [
        ("data-src", "img"),
        ("data-original", "img"),
        ("data-lazy-src", "img"),
        ("data-actualsrc", "img"),
    ],
)
def test_it_promotes_lazy_image_addresses(attribute: str, element: str) -> None:
    body = f'<{element} src="data:image/gif;base64,R0lGODlhAQABAAAAACw=" {attribute}="real.png">'
    result = build(page(body=body), {f"{SITE}/2024/05/real.png": ("image/png", PNG)})
    img = tree(result.html).find(f".//{element}")
    assert img.get("src") == data_uri("image/png", PNG) and img.get(attribute) is None


def test_it_promotes_lazy_srcsets_on_img_and_picture_sources() -> None:
    body = '<picture><source data-srcset="w.png 2x"><img data-srcset="n.png 1x" alt=""></picture>'
    files = {
        f"{SITE}/2024/05/w.png": ("image/png", PNG_2X),
        f"{SITE}/2024/05/n.png": ("image/png", PNG),
    }
    picture = tree(build(page(body=body), files).html).find(".//picture")
    assert picture[0].get("srcset") == data_uri("image/png", PNG_2X) + " 2x"
    assert picture[1].get("srcset") == data_uri("image/png", PNG) + " 1x"


def test_it_drops_a_noscript_fallback_that_repeats_a_lazy_image(full: SingleFile) -> None:
    root = tree(full.html)
    assert root.find(".//noscript") is None
    assert [i.get("alt") for i in root.iter("img")] == ["a", "b", "gone"]


def test_it_unwraps_a_noscript_holding_the_only_copy_of_an_image() -> None:
    body = '<div class="js-gallery"></div><noscript><p><img src="only.png" alt="o"></p></noscript>'
    result = build(page(body=body), {f"{SITE}/2024/05/only.png": ("image/png", PNG)})
    root = tree(result.html)
    assert root.find(".//noscript") is None and root.find(".//p/img").get("alt") == "o"


def test_it_applies_style_sheets_that_scripts_would_have_loaded_late() -> None:
    head = (
        '<link rel="preload" href="/late.css" as="style" onload="this.rel=\'stylesheet\'">'
        '<link rel="stylesheet" href="/print-first.css" media="print" onload="this.media=\'all\'">'
        '<noscript><link rel="stylesheet" href="/nojs.css"></noscript>'
    )
    files = {
        f"{SITE}/{n}.css": ("text/css", f".{n[:4]}{{}}".encode())
        for n in ("late", "print-first", "nojs")
    }
    root = tree(build(page(head), files).html)
    assert [(s.get("media"), s.text) for s in root.iter("style")] == [
        (None, ".late{}"),
        ("all", ".prin{}"),
        (None, ".nojs{}"),
    ]
    assert root.find(".//noscript") is None


def test_it_keeps_a_noscript_without_images_and_drops_tracking_pixels() -> None:
    body = (
        "<noscript>Please enable JavaScript</noscript>"
        '<noscript><img height="1" width="1" style="display:none" src="https://px.example/tr?id=1"></noscript>'
    )
    site = Site({})
    result = build_single_file(page(body=body), PAGE, site)
    assert [n.text for n in tree(result.html).iter("noscript")] == [
        "Please enable JavaScript",
        None,
    ]
    assert not any("px.example" in call for call in site.calls)


def test_it_inlines_input_images_posters_svg_images_and_table_backgrounds() -> None:
    body = (
        '<input type="image" src="/go.png"><video poster="/poster.svg"></video>'
        '<svg><image href="/go.png" src="/fallback.png"/><image xlink:href="/go.png"/></svg>'
        '<table background="/go.png"><tr><td background="/go.png">x</td></tr></table>'
    )
    files = {f"{SITE}/go.png": ("image/png", PNG), f"{SITE}/poster.svg": ("image/svg+xml", SVG)}
    result = build(page(body=body), files)
    assert result.assets == [f"{SITE}/go.png", f"{SITE}/poster.svg"]
    assert result.html.count(data_uri("image/png", PNG)) == 5
    assert network_references(result.html) == []


def test_an_image_element_outside_svg_is_an_img() -> None:
    result = build(page(body='<image src="/go.png">'), {f"{SITE}/go.png": ("image/png", PNG)})
    assert tree(result.html).find(".//image").get("src") == data_uri("image/png", PNG)


# --- icons ----------------------------------------------------------------------------------


def test_it_inlines_declared_icons(full: SingleFile) -> None:
    icon = tree(full.html).find(".//link")
    assert icon.get("rel") == "shortcut icon" and icon.get("href") == data_uri("image/png", PNG)


def test_it_inlines_apple_touch_icons_and_drops_failed_icons() -> None:
    head = '<link rel="apple-touch-icon" href="/t.png"><link rel="icon" href="/broken.ico">'
    result = build(page(head), {f"{SITE}/t.png": ("image/png", PNG)})
    links = tree(result.html).findall(".//link")
    assert [(link.get("rel"), link.get("href")) for link in links] == [
        ("apple-touch-icon", data_uri("image/png", PNG))
    ]
    assert result.failed == {f"{SITE}/broken.ico": "not fetched"}


def test_it_tries_the_site_favicon_when_the_page_names_no_icon() -> None:
    result = build(page(), {f"{SITE}/favicon.ico": ("application/octet-stream", ICO)})
    icon = tree(result.html).find(".//link")
    assert icon.get("rel") == "icon" and icon.get("href") == data_uri("image/x-icon", ICO)


def test_a_missing_site_favicon_is_not_a_failed_asset() -> None:
    site = Site({})
    result = build_single_file(page(), PAGE, site)
    assert site.calls == [f"{SITE}/favicon.ico"] and result.failed == {}


# --- removals -------------------------------------------------------------------------------


def test_it_removes_scripts_but_keeps_the_text_after_them(full: SingleFile) -> None:
    root = tree(full.html)
    assert root.find(".//script") is None and "<script" not in full.html
    html = build(page(body="<p>a<script>x()</script>b</p>"), {}).html
    assert tree(html).find(".//p").text_content() == "ab"


def test_it_removes_event_handlers_and_script_urls(full: SingleFile) -> None:
    root = tree(full.html)
    assert not [n for e in root.iter(etree.Element) for n in e.attrib if n.startswith("on")]
    assert root.xpath("//a")[0].get("href") == "#"
    html = build(
        page(body='<form action=" java\tscript:x()"><a href="vbscript:y">v</a></form>'), {}
    ).html
    assert tree(html).find(".//form").get("action") is None and "script:" not in html


def test_it_removes_meta_refresh(full: SingleFile) -> None:
    assert [m.get("http-equiv") for m in tree(full.html).iter("meta")] == [
        None,
        "Content-Security-Policy",
    ]


def test_it_removes_the_pages_own_csp_which_could_block_data_uris() -> None:
    html = build(
        page('<meta http-equiv="Content-Security-Policy" content="img-src \'self\'">'), {}
    ).html
    assert [m.get("content") for m in tree(html).iter("meta")] == [None, CONTENT_SECURITY_POLICY]


@pytest.mark.parametrize(
    "rel",
    ["preload", "prefetch", "modulepreload", "dns-prefetch", "preconnect", "manifest", "canonical"],
)
def test_it_removes_links_that_are_neither_stylesheets_nor_icons(rel: str) -> None:
    site = Site({})
    result = build_single_file(page(f'<link rel="{rel}" href="https://x.example/r">'), PAGE, site)
    assert tree(result.html).find(".//link") is None and "x.example" not in "".join(site.calls)


def test_it_keeps_frames_for_layout_with_a_placeholder_and_no_source(full: SingleFile) -> None:
    frame = tree(full.html).find(".//iframe")
    assert frame.get("src") is None and frame.get("width") == "560"
    assert "https://video.example.org/embed/1" in frame.get("srcdoc")
    assert "<script" not in frame.get("srcdoc") and "src=" not in frame.get("srcdoc")


def test_it_replaces_plugins_by_their_fallback_content(full: SingleFile) -> None:
    root = tree(full.html)
    assert root.find(".//object") is None and root.find(".//embed") is None
    assert root.find(".//param") is None and "<p>fallback</p>" in full.html


def test_it_keeps_video_posters_but_not_streams(full: SingleFile) -> None:
    video = tree(full.html).find(".//video")
    assert video.get("src") is None and video.find("source") is None
    assert video.get("poster") == data_uri("image/svg+xml", SVG)


def test_it_removes_external_svg_use_references_but_keeps_fragments() -> None:
    body = '<svg><use href="/sprite.svg#a"/><use xlink:href="#b"/></svg>'
    uses = list(tree(build(page(body=body), {}).html).iter("use"))
    assert uses[0].get("href") is None and uses[1].get("xlink:href") == "#b"


def test_it_makes_links_absolute_and_removes_pings(full: SingleFile) -> None:
    about = tree(full.html).xpath("//a")[1]
    assert about.get("href") == f"{SITE}/2024/about.html" and about.get("ping") is None


def test_it_keeps_fragment_links_as_they_are() -> None:
    assert (
        tree(build(page(body='<a href="#top">t</a>'), {}).html).find(".//a").get("href") == "#top"
    )


# --- the document ---------------------------------------------------------------------------


def test_it_adds_the_content_security_policy_right_after_the_charset(full: SingleFile) -> None:
    head = tree(full.html).find("head")
    assert head[0].get("charset") == "utf-8"
    assert head[1].get("http-equiv") == "Content-Security-Policy"
    assert head[1].get("content") == CONTENT_SECURITY_POLICY
    assert (
        "default-src 'none'; img-src data:; style-src 'unsafe-inline' data:"
        in CONTENT_SECURITY_POLICY
    )


def test_it_keeps_the_doctype_and_the_charset_meta_as_given() -> None:
    meta = '<meta http-equiv="Content-Type" content="text/html; charset=gb2312">'
    html = f"<!DOCTYPE html>\n<html><head>{meta}<title>中文</title></head><body><p>你好</p>"
    out = build(html, {}).html
    assert out.startswith("<!DOCTYPE html>\n<html>")
    assert meta in out
    assert "<title>中文</title>" in out and "<p>你好</p>" in out


def test_it_adds_no_doctype_to_a_page_without_one() -> None:
    out = build("<html><head></head><body><p>quirks</p></body></html>", {}).html
    assert out.startswith("<html><head>") and "DOCTYPE" not in out


def test_it_adds_a_head_when_the_page_has_none() -> None:
    root = tree(build("<frameset><frame src='a.html'></frameset>", {}).html)
    assert root[0].tag == "head" and root[0][0].get("http-equiv") == "Content-Security-Policy"
    assert root.find(".//frame").get("src") is None


# --- fetching: once, within limits, failures recorded ------------------------------------------


def test_it_fetches_each_url_once() -> None:
    html = page(
        "<style>.a{background:url(/i.png)} .b{background:url('/i.png#x')}</style>",
        '<img src="/i.png"><img src="/i.png" srcset="/i.png 2x"><p style="background:url(/i.png)">',
    )
    site = Site({f"{SITE}/i.png": ("image/png", PNG)})
    result = build_single_file(html, PAGE, site)
    assert site.calls == [f"{SITE}/i.png", f"{SITE}/favicon.ico"] and result.assets == [
        f"{SITE}/i.png"
    ]


def test_a_failed_asset_is_recorded_and_its_reference_removed(full: SingleFile) -> None:
    img = tree(full.html).xpath("//img[@alt='gone']")[0]
    assert img.get("src") is None


def test_a_failed_css_reference_becomes_an_empty_data_uri() -> None:
    result = build(page("<style>.a{background:url(/nope.png) no-repeat}</style>"), {})
    assert ".a{background:url(data:,) no-repeat}" in result.html
    assert result.failed == {f"{SITE}/nope.png": "not fetched"}


def test_it_records_the_fetchers_errors() -> None:
    def fetch(url: str) -> Asset | None:
        if url.endswith("a.png"):
            raise AssetError("HTTP 404")
        raise TimeoutError("read timed out")

    result = build_single_file(page(body='<img src="/a.png"><img src="/b.png">'), PAGE, fetch)
    assert result.failed == {
        f"{SITE}/a.png": "HTTP 404",
        f"{SITE}/b.png": "TimeoutError: read timed out",
    }
    assert result.assets == [] and network_references(result.html) == []


def test_it_rejects_an_html_page_served_instead_of_an_asset() -> None:
    files = {f"{SITE}/a.png": ("text/html; charset=utf-8", b"<html><body>Not found</body></html>")}
    result = build(page(body='<img src="/a.png">'), files)
    assert result.failed == {f"{SITE}/a.png": "got an HTML page instead of an asset"}


def test_it_sniffs_the_real_type_from_the_bytes() -> None:
    files = {
        f"{SITE}/a": ("application/octet-stream", PNG),
        f"{SITE}/b.gif": ("text/plain", GIF),
        f"{SITE}/c.svg": ("", SVG),
    }
    result = build(page(body='<img src="/a"><img src="/b.gif"><img src="/c.svg">'), files)
    srcs = [decode_data_uri(i.get("src"))[0] for i in tree(result.html).iter("img")]
    assert srcs == ["image/png", "image/gif", "image/svg+xml"]


def test_it_skips_assets_past_max_assets() -> None:
    body = "".join(f'<img src="/{i}.png">' for i in range(5))
    files = {f"{SITE}/{i}.png": ("image/png", PNG) for i in range(5)}
    site = Site(files)
    result = build_single_file(page(body=body), PAGE, site, max_assets=3)
    assert len(site.calls) == 3 and len(result.assets) == 3
    assert result.failed == {f"{SITE}/{i}.png": "skipped: max_assets (3) reached" for i in (3, 4)}
    assert network_references(result.html) == []


def test_it_skips_an_asset_that_would_pass_max_total_bytes_but_keeps_smaller_ones() -> None:
    huge = PNG + bytes(200_000)
    files = {f"{SITE}/huge.png": ("image/png", huge), f"{SITE}/small.png": ("image/png", PNG)}
    result = build(
        page(body='<img src="/huge.png"><img src="/small.png">'), files, max_total_bytes=100_000
    )
    assert result.assets == [f"{SITE}/small.png"]
    assert result.failed == {
        f"{SITE}/huge.png": f"skipped: {len(huge)} bytes would pass max_total_bytes (100000)"
    }
    assert len(result.html) < 2_000


def test_it_does_not_fetch_unsupported_schemes() -> None:
    site = Site({})
    result = build_single_file(
        page(body='<img src="ftp://x.example/a.png"><img src="blob:x">'), PAGE, site
    )
    assert site.calls == [f"{SITE}/favicon.ico"]
    assert result.failed == {
        "ftp://x.example/a.png": "unsupported URL scheme ftp",
        "blob:x": "unsupported URL scheme blob",
    }


# --- robustness -----------------------------------------------------------------------------

BROKEN = [
    "",
    "   ",
    "<!-- only a comment -->",
    "just text",
    "<html",
    "<img src=",
    "<p>\x00\x01\x02 nul and controls</p>",
    "\ufeff<p>bom</p>",
    "<?xml version='1.0' encoding='utf-8'?><html><body><img src=a.png></body></html>",
    "<p>lone surrogate \udc80</p>",
    "<div>" * 5000 + "deep",
    "<style>" + "{" * 3000 + "url(a.png)</style>",
    "<style>a{background:url(a b.png)} b{content:'unterminated\n} @import url(</style>",
    "<style>@font-face{src:}@font-face{src:url()}@font-face{}@import ;@import url() x;</style>",
    '<img srcset=", , ,"><img srcset="   2x"><source srcset="a.png 1x">',
    '<p style="background:url(\'a.png">x</p><p style="\\">y</p>',
    '<base href="javascript:alert(1)"><img src="a.png">',
    '<base href="http://[::1"><img src="http://[::1/a.png">',
    '<link rel="stylesheet" href=""><link rel="icon">',
    "<table><td background=\"\"><svg><image href=''/></svg>",
    '<noscript><noscript><img src="n.png"></noscript></noscript>',
    '<picture><source srcset="a.png"><source srcset="b.png">text<img src="c.png">tail</picture>',
]


@pytest.mark.parametrize("html", BROKEN, ids=lambda h: repr(h[:30]))
def test_it_never_raises_on_broken_html_or_css(html: str) -> None:
    files = {f"{SITE}/2024/05/a.png": ("image/png", PNG)}
    result = build(html, files)
    assert isinstance(result.html, str) and network_references(result.html) == []
    assert CONTENT_SECURITY_POLICY in result.html.replace("&#39;", "'")


def test_it_survives_control_characters_in_a_style_sheet() -> None:
    css = b'p{content:"a\x00b\x01"} q{background:url(/a.png)}'
    html = page('<link rel="stylesheet" href="/c.css">')
    result = build(html, {f"{SITE}/c.css": ("text/css", css), f"{SITE}/a.png": ("image/png", PNG)})
    assert 'p{content:"a\ufffdb\ufffd"}' in result.html and result.assets[-1] == f"{SITE}/a.png"


def test_it_keeps_a_text_node_bigger_than_libxml2s_default_limit() -> None:
    big = "x" * 11_000_000
    result = build(page(body=f"<p>{big}</p>"), {})
    assert len(result.html) > 11_000_000


def test_it_keeps_the_text_around_void_elements_libxml2_does_not_know() -> None:
    body = '<picture><source srcset="x.png">s<img src="y.png" alt="kept"></picture><p>a<wbr>b</p>'
    result = build(page(body=body), {})
    root = tree(result.html)
    assert root.find(".//img").get("alt") == "kept" and root.find(".//p").text_content() == "ab"


def corpus_sample() -> list[Path]:
    pages = sorted(CORPUS.glob("*/**/*.html*"))
    return pages[:: max(1, len(pages) // 40)]


def corpus_site(url: str) -> Asset:
    """Every asset of a real page "exists": style sheets import and reference more."""
    if ".css" in url:
        css = b'@import "more.css"; a{background:url(../x.png)} @font-face{src:url(f.woff2)}'
        return Asset(url, "text/css", css)
    return Asset(url, "image/png", PNG)


@pytest.mark.corpus
@pytest.mark.parametrize("path", corpus_sample(), ids=lambda p: p.name[:16])
def test_real_pages_build_without_network_references(path: Path) -> None:
    raw = path.read_bytes()
    html = (gzip.decompress(raw) if path.suffix == ".gz" else raw).decode("utf-8", "replace")
    result = build_single_file(html, "https://example.com/a/b/page.html", corpus_site)
    assert network_references(result.html) == []
    assert tree(result.html).find(".//title") is not None or "<title" not in html.lower()


# --- asset_urls -----------------------------------------------------------------------------


def test_asset_urls_lists_the_first_level_in_fetch_order() -> None:
    urls = asset_urls(FULL_PAGE, PAGE)
    assert urls == [
        f"{SITE}/static/css/site.css",
        f"{SITE}/static/img/logo.png",
        f"{SITE}/2024/05/photo-800.png",
        f"{SITE}/2024/05/lazy.png",
        f"{SITE}/2024/05/missing.png",
        f"{SITE}/poster.svg",
        f"{SITE}/favicon.png",
    ]


def test_the_budget_goes_to_style_sheets_first_and_icons_last() -> None:
    html = page(
        '<link rel="icon" href="/i.png"><link rel="stylesheet" href="/s.css">', '<img src="/p.png">'
    )
    files = {
        f"{SITE}/s.css": ("text/css", b"p{background:url(/bg.png)}"),
        f"{SITE}/bg.png": ("image/png", PNG),
        f"{SITE}/p.png": ("image/png", PNG),
        f"{SITE}/i.png": ("image/png", PNG),
    }
    result = build(html, files, max_assets=3)
    assert result.assets == [f"{SITE}/s.css", f"{SITE}/bg.png", f"{SITE}/p.png"]
    assert result.failed == {f"{SITE}/i.png": "skipped: max_assets (3) reached"}
    assert tree(result.html).find(".//link") is None


def test_asset_urls_matches_what_a_build_fetches_first() -> None:
    site = Site(full_site())
    build_single_file(FULL_PAGE, PAGE, site)
    nested = {
        f"{SITE}/static/css/base.css",
        f"{SITE}/static/css/print.css",
        f"{SITE}/static/img/bg.png?v=3",
        f"{SITE}/static/img/logo@2x.png",
        f"{SITE}/static/fonts/body.ttf",
        "https://cdn.example.net/h1.gif",
    }
    assert set(site.calls) == set(asset_urls(FULL_PAGE, PAGE)) | nested


def test_asset_urls_includes_the_site_favicon_when_no_icon_is_named() -> None:
    assert asset_urls('<img src="a.png">', PAGE) == [f"{SITE}/2024/05/a.png", f"{SITE}/favicon.ico"]
