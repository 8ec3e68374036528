"""The single-file builder's fetching: each URL once, within limits, every failure recorded.

Limits are max_assets and max_total_bytes; a failed reference is removed from the document.
"""

from linkhome.capture.steps.single_file import Asset, AssetError, SingleFile, build_single_file
from tests.single_file_support import (
    GIF,
    PAGE,
    PNG,
    SITE,
    SVG,
    Site,
    build,
    decode_data_uri,
    full_page_fixture,  # noqa: F401  (the `full` fixture)
    network_references,
    page,
    tree,
)


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
