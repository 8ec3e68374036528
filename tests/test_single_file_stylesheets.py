"""The single-file builder's style sheets: <link> becomes <style>, @import becomes CSS text.

Also: import cycles and depth, sheets that would not apply, late-loaded sheets, charsets.
"""

from linkhome.capture.steps.single_file import SingleFile, build_single_file
from tests.single_file_support import (
    PAGE,
    SITE,
    Site,
    build,
    full_page_fixture,  # noqa: F401  (the `full` fixture)
    page,
    tree,
)


def test_it_replaces_a_linked_stylesheet_by_a_style_element() -> None:
    html = page('<link rel="stylesheet" href="a.css" media="screen">tail')
    result = build(html, {f"{SITE}/2024/05/a.css": ("text/css", b"p{color:red}")})
    style = tree(result.html).find(".//style")
    assert style.text == "p{color:red}" and style.get("media") == "screen"
    assert tree(result.html).find(".//link") is None and "tail" in result.html


def test_it_inlines_imports_as_css_text_under_their_media(full: SingleFile) -> None:
    css = tree(full.html).find(".//head/style").text
    assert "@import" not in css and "@media print {a::after{content:attr(href)}}" in css
    assert css.index("h1{background:url(data:image/gif") < css.index("body {")
    assert "@charset" not in css


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


def test_it_accepts_a_css_type_with_parameters() -> None:
    html = page('<link rel="stylesheet" type="text/css; charset=utf-8" href="/a.css">')
    result = build(html, {f"{SITE}/a.css": ("text/css", b"p{}")})
    assert [s.text for s in tree(result.html).iter("style")] == ["p{}"]


def test_it_drops_alternate_and_disabled_stylesheets_without_fetching() -> None:
    html = page(
        '<link rel="alternate stylesheet" href="/alt.css" title="x">'
        '<link rel="stylesheet" href="/off.css" disabled>'
    )
    site = Site({})
    result = build_single_file(html, PAGE, site)
    assert site.calls == [f"{SITE}/favicon.ico"] and "<style" not in result.html


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
