"""The single-file builder's fonts (only the best format fetched) and icons (or /favicon.ico)."""

import re

from linkhome.capture.steps.single_file import SingleFile, build_single_file
from tests.single_file_support import (
    FULL_PAGE,
    ICO,
    PAGE,
    PNG,
    SITE,
    Site,
    build,
    data_uri,
    decode_data_uri,
    full_page_fixture,  # noqa: F401  (the `full` fixture)
    full_site,
    page,
    system_font,
    tree,
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
