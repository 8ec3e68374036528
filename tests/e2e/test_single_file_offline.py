"""A single-file snapshot opens with the network cut off: no request but the document
itself, and its images, background and font all show (issue 5, "Offline check").

The page is captured by `linkhome serve` and its worker; the test then takes the single
file's bytes and opens them in Chromium where every request except the one for the file
is aborted and counted. The file is served without LinkHome's CSP on purpose: the CSP
would block (and hide) any request to the web, and this test is about the file needing none.
"""

from collections.abc import Iterator

import httpx
import pytest
from playwright.sync_api import Browser, Page, Route

from linkhome.testing.http import LocalHTTPServer
from linkhome.testing.processes import cli_json, run_cli, wait_for_status
from tests.e2e.server import LinkhomeServer
from tests.single_file_support import GIF, make_png, system_font

pytestmark = pytest.mark.e2e

DOCUMENT = "http://offline.invalid/snapshot.html"  # answered by the test, not the network
PAGE = b"""<!doctype html><html lang="en"><head><meta charset="utf-8">
<title>Lighthouse keepers' logbook</title><link rel="stylesheet" href="style.css"></head>
<body><article><h1>Lighthouse keepers' logbook</h1>
<p class="fancy">The keepers wrote the weather into the logbook every four hours, and the
entries for the storm of the winter of 1911 run across three pages.</p>
<img id="plain" src="lamp.png" alt="the lamp" width="40" height="30">
<img id="lazy" src="data:image/gif;base64,R0lGODlhAQABAAAAACw=" data-src="lens.png" alt="the lens">
<img id="set" src="small.png" srcset="small.png 1x, large.png 2x" alt="the tower">
<img id="gif" src="flag.gif" alt="the flag">
<p>When the fog came in the keepers sounded the horn every thirty seconds until dawn.</p>
</article></body></html>"""
CSS = b"""@font-face { font-family: "Keeper"; src: url(keeper.ttf) format("truetype"); }
.fancy { font-family: "Keeper", monospace; }
body { background: #fff url(paper.png) repeat; }"""


@pytest.fixture(scope="module")
def single_file(linkhome_server: LinkhomeServer) -> Iterator[bytes]:
    """The single file of the page above, as LinkHome serves it."""
    with LocalHTTPServer() as site:
        _route_assets(site)
        env = linkhome_server.env
        assert (
            run_cli(env, "createuser", "keeper", "--password", "灯塔-e2e-Passw0rd").returncode == 0
        )
        added = cli_json(env, "add", site.url("/logbook.html"), "--user", "keeper")
        snapshot_id = added["snapshot"]["id"]
        assert wait_for_status(env, snapshot_id)["status"] == "succeeded"
    response = httpx.get(f"{linkhome_server.url}/s/{snapshot_id}/a/single_file/", timeout=30)
    response.raise_for_status()
    yield response.content


def _route_assets(site: LocalHTTPServer) -> None:
    site.route("/logbook.html", body=PAGE)
    site.route("/style.css", body=CSS, headers=[("Content-Type", "text/css")])
    site.route("/keeper.ttf", body=system_font(), headers=[("Content-Type", "font/ttf")])
    for name, size in (("lamp", 40), ("lens", 20), ("small", 10), ("large", 20), ("paper", 8)):
        png = make_png(size, size)
        site.route(f"/{name}.png", body=png, headers=[("Content-Type", "image/png")])
    site.route("/flag.gif", body=GIF, headers=[("Content-Type", "image/gif")])


@pytest.fixture
def offline_page(browser: Browser, single_file: bytes) -> Iterator[tuple[Page, list[str]]]:
    """A tab where only DOCUMENT answers; every request is listed, every other aborted."""
    context = browser.new_context()
    requests: list[str] = []
    context.on("request", lambda request: requests.append(request.url))

    def answer(route: Route) -> None:
        if route.request.url == DOCUMENT:
            route.fulfill(body=single_file, content_type="text/html; charset=utf-8")
        else:
            route.abort("internetdisconnected")

    context.route("**/*", answer)
    yield context.new_page(), requests
    context.close()


def test_a_single_file_makes_no_request_and_shows_its_images(
    offline_page: tuple[Page, list[str]],
) -> None:
    page, requests = offline_page
    page.goto(DOCUMENT, wait_until="load")
    page.wait_for_timeout(1_000)  # late loads (lazy images, fonts) would show up by now
    print(f"\noffline single file: {len(requests)} request(s): {requests}")
    assert requests == [DOCUMENT]
    sizes = page.eval_on_selector_all("img", "imgs => imgs.map(i => [i.id, i.naturalWidth])")
    assert len(sizes) == 4 and all(width > 0 for _, width in sizes), sizes
    assert page.evaluate("document.fonts.check('16px Keeper')")
    assert page.evaluate(
        "[...document.fonts].some(f => f.family.includes('Keeper') && f.status === 'loaded')"
    )
    background = page.evaluate("getComputedStyle(document.body).backgroundImage")
    assert background.startswith('url("data:image/png'), background
