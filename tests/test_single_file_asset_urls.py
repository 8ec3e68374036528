"""asset_urls: the first level of a page's assets, in the order a build fetches them."""

from linkhome.capture.steps.single_file import asset_urls, build_single_file
from tests.single_file_support import FULL_PAGE, PAGE, PNG, SITE, Site, build, full_site, page, tree


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
