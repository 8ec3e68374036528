"""The single-file builder's URL resolution: <base href>, relative references and fragments."""

import pytest

from linkhome.capture.steps.single_file import build_single_file
from tests.single_file_support import PAGE, PNG, SITE, SVG, Site, build, data_uri, page, tree


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
