"""The single-file builder's images: srcset and <picture>, lazy images, <noscript> fallbacks.

Also the other elements that show an image: input, video posters, SVG image, backgrounds.
"""

import pytest

from linkhome.capture.steps.single_file import SingleFile, build_single_file
from linkhome.capture.steps.single_file.urls import parse_srcset
from tests.single_file_support import (
    PAGE,
    PNG,
    PNG_2X,
    SITE,
    SVG,
    Site,
    build,
    data_uri,
    full_page_fixture,  # noqa: F401  (the `full` fixture)
    network_references,
    page,
    tree,
)


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
