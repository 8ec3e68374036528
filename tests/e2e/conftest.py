"""End-to-end fixtures: `linkhome serve` as a real process, a fixture site on 127.0.0.1 and
Debian's Chromium driven by Playwright.

The test process never touches the ORM (and so never uses the `db` fixture): the server
keeps its own embedded SQLite database in a temporary LINKHOME_DATA_DIR, and the tests talk
to it over HTTP, through the browser, and with the `linkhome` CLI. Everything is
module-scoped: the tests of one file share one server, one site and one browser; each person
in a test gets a browser context of their own (own cookies, own language).
"""

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, Route, expect, sync_playwright

from linkhome.capture.browser.host import BASE_ARGS
from linkhome.testing.corpus import corpus_dir
from linkhome.testing.fixtures import require_installed
from linkhome.testing.http import LocalHTTPServer
from tests.e2e.server import LinkhomeServer, start, stop

CHROMIUM = Path("/usr/bin/chromium")
# The worker's own flags (no sandbox, nothing that phones home), without its dead proxy:
# these tests browse the app on 127.0.0.1.
CHROMIUM_ARGS = list(BASE_ARGS)
SCREENSHOTS = Path(__file__).resolve().parents[1] / "screenshots"  # tests/screenshots, git-ignored
# Pages come from a server on this machine: slower than this is a failure even on a busy
# shared CI machine. Missing pieces of the contract fail faster (journey.CONTRACT_TIMEOUT_MS).
ACTION_TIMEOUT_MS = 10_000
NAVIGATION_TIMEOUT_MS = 20_000


@pytest.fixture(scope="session", autouse=True)
def chromium_is_installed() -> None:
    require_installed(CHROMIUM, "scripts/ensure-chromium.sh")


# The server --------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def linkhome_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LinkhomeServer]:
    server = start(tmp_path_factory.mktemp("linkhome-e2e"))
    yield server
    stop(server)


# The fixture site --------------------------------------------------------------------------


@pytest.fixture(scope="module")
def fixture_site() -> Iterator[LocalHTTPServer]:
    """An empty site on 127.0.0.1; the test module routes its pages (tests/e2e/site.py)."""
    if not corpus_dir().is_dir():  # CI never gets here: tests/conftest.py stops the run
        pytest.skip(f"the shared corpus is missing at {corpus_dir()}")
    with LocalHTTPServer() as server:
        yield server


# The browser -------------------------------------------------------------------------------


@dataclass
class OffsiteGuard:
    """Aborts every browser request that would leave 127.0.0.1, and remembers it."""

    blocked: list[str] = field(default_factory=list)

    def __call__(self, route: Route) -> None:
        if urlsplit(route.request.url).hostname == "127.0.0.1":
            route.continue_()
        else:
            self.blocked.append(route.request.url)
            route.abort("blockedbyclient")


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    # Module scope on purpose: while Playwright's sync API runs, its event loop counts as
    # running in this thread, and Django would refuse the ORM to the database tests after us.
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        expect.set_options(timeout=ACTION_TIMEOUT_MS)
        yield browser
        browser.close()


@pytest.fixture(scope="module")
def open_context(
    browser: Browser, linkhome_server: LinkhomeServer
) -> Iterator[Callable[..., BrowserContext]]:
    """Opens a fresh context (one person: own cookies, own language) on the server.

    Relative URLs in page.goto() go to the server. Chinese unless a locale is given, 1280 px
    wide unless a viewport is; other options go to browser.new_context (storage_state: the
    same person in a second browser, color_scheme)."""
    guard, opened = OffsiteGuard(), []

    def open_(locale: str = "zh-CN", **options: object) -> BrowserContext:
        options.setdefault("viewport", {"width": 1280, "height": 900})
        context = browser.new_context(base_url=linkhome_server.url, locale=locale, **options)
        context.set_default_timeout(ACTION_TIMEOUT_MS)
        context.set_default_navigation_timeout(NAVIGATION_TIMEOUT_MS)
        context.route("**/*", guard)
        opened.append(context)
        return context

    yield open_
    for context in opened:
        context.close()
    assert not guard.blocked, f"the browser tried to leave 127.0.0.1: {guard.blocked}"


@pytest.fixture(scope="session")
def screenshot() -> Callable[[Page, str], Path]:
    """Saves a full-page PNG as tests/screenshots/NAME.png (for people, not for asserts)."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)

    def take(page: Page, name: str) -> Path:
        path = SCREENSHOTS / f"{name}.png"
        page.screenshot(path=path, full_page=True)
        return path

    return take
