"""The single-file builder's url() references in CSS, resolved like a browser and inlined.

In style sheets, <style> elements, style attributes and SVG presentation attributes.
"""

from linkhome.capture.steps.single_file import Asset, SingleFile, build_single_file
from tests.single_file_support import (
    PAGE,
    PNG,
    PNG_2X,
    SITE,
    SVG,
    build,
    data_uri,
    full_page_fixture,  # noqa: F401  (the `full` fixture)
    network_references,
    page,
    tree,
)


def test_it_resolves_css_urls_against_the_stylesheet_not_the_page(full: SingleFile) -> None:
    css = tree(full.html).find(".//head/style").text
    assert f'url("{data_uri("image/png", PNG)}") repeat-x' in css  # '../img/bg.png?v=3'
    assert f"{SITE}/static/img/bg.png?v=3" in full.assets


def test_it_resolves_protocol_relative_urls_inside_imported_css(full: SingleFile) -> None:
    assert "https://cdn.example.net/h1.gif" in full.assets


def test_it_resolves_a_redirected_stylesheets_urls_against_its_final_url() -> None:
    def fetch(url: str) -> Asset | None:
        if url == f"{SITE}/old/a.css":
            return Asset(f"{SITE}/new/a.css", "text/css", b"p{background:url(bg.png)}")
        return Asset(url, "image/png", PNG) if url == f"{SITE}/new/bg.png" else None

    result = build_single_file(page('<link rel="stylesheet" href="/old/a.css">'), PAGE, fetch)
    assert result.assets == [f"{SITE}/old/a.css", f"{SITE}/new/bg.png"]


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


def test_it_inlines_svg_presentation_attributes_but_no_look_alikes_outside_svg() -> None:
    body = (
        '<svg><rect fill="url(/p.svg#g)" stroke="url(#local)"/></svg>'
        '<input mask="url(/p.svg)" data-x="url(/p.svg)">'
    )
    result = build(page(body=body), {f"{SITE}/p.svg": ("image/svg+xml", SVG)})
    rect, field = tree(result.html).find(".//rect"), tree(result.html).find(".//input")
    assert rect.get("fill") == f"url({data_uri('image/svg+xml', SVG)}#g)"
    assert rect.get("stroke") == "url(#local)" and field.get("mask") == "url(/p.svg)"


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
