"""A hostile page's snapshot, viewed by its signed-in owner in Chromium, leaks nothing.

The page (tests/e2e/hostile.py) is captured by `linkhome serve` and its worker like any
other. Its owner then opens the snapshot page with its sandboxed frame and every archived
copy of the HTML, each for a few seconds. Nothing may reach the page's own site after the
capture (no beacon with cookies or localStorage), LinkHome may receive no API call or form
post, the owner's links stay as they were, the tab stays where it is, and no dialog opens.

Both deployments run: archives on the app's own origin (CSP sandbox alone), and on a
separate LINKHOME_ARCHIVE_ORIGIN (http://localhost:PORT: another host, so the app's
cookies stay away). The controls at the end show the same page attacking as soon as the
sandbox is gone, so these assertions can fail.
"""

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, Route, expect

from linkhome.testing.http import LocalHTTPServer
from linkhome.testing.processes import cli_json, run_cli, wait_for_status
from tests.e2e.hostile import PROBE, HostileSite, serve_hostile
from tests.e2e.journey import Person, sign_in
from tests.e2e.server import LinkhomeServer, free_port, start, stop

pytestmark = pytest.mark.e2e

OWNER = Person("harbourmaster", "港口-e2e-Passw0rd")
SETTLE_MS = 3_000  # the page's attacks all start within 1.2 s
ARCHIVED_PAGES = ("raw_html", "html", "single_file", "dom")
LOCAL_HOSTS = {"127.0.0.1", "localhost"}
OWN_CALL = "by=the-test"
ACCESS_LINE = re.compile(r'"([A-Z]+) (\S+) HTTP/[\d.]+"')
EVIL = re.compile(r"/evil/")


@dataclass
class Kept:
    hostile: int  # snapshot ids
    canary: int
    kinds: set[str]  # artifact kinds of the hostile snapshot that were made


@pytest.fixture(scope="module", params=["app-origin", "archive-origin"])
def server(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[LinkhomeServer]:
    port = free_port()
    settings = {}
    if request.param == "archive-origin":  # localhost is another host, with no app cookies
        settings["LINKHOME_ARCHIVE_ORIGIN"] = f"http://localhost:{port}"
    running = start(tmp_path_factory.mktemp("hostile"), port=port, **settings)
    yield running
    stop(running)


@pytest.fixture(scope="module")
def site(server: LinkhomeServer) -> Iterator[HostileSite]:
    with LocalHTTPServer() as http:
        yield serve_hostile(http, server.url)


@pytest.fixture(scope="module")
def kept(server: LinkhomeServer, site: HostileSite) -> Kept:
    made = run_cli(server.env, "createuser", OWNER.username, "--password", OWNER.password)
    assert made.returncode == 0, made.stderr
    ids = [_add(server, site.server.url(path)) for path in ("/hostile.html", "/canary.html")]
    for snapshot_id in ids:
        assert wait_for_status(server.env, snapshot_id)["status"] == "succeeded"
    shown = cli_json(server.env, "show", str(ids[0]))["snapshot"]
    kinds = {a["kind"] for a in shown["artifacts"] if a["status"] == "ok"}
    return Kept(ids[0], ids[1], kinds)


def _add(server: LinkhomeServer, url: str) -> int:
    return cli_json(server.env, "add", url, "--user", OWNER.username)["snapshot"]["id"]


@pytest.fixture(scope="module")
def owner(browser: Browser, server: LinkhomeServer, kept: Kept) -> Iterator[BrowserContext]:
    """The owner's browser, signed in; it may reach 127.0.0.1 and localhost only."""
    context = browser.new_context(base_url=server.url, locale="en-US")
    context.route("**/*", _local_only)
    sign_in(context.new_page(), OWNER)
    yield context
    context.close()


def _local_only(route: Route) -> None:
    if urlsplit(route.request.url).hostname in LOCAL_HOSTS:
        route.continue_()
    else:
        route.abort("blockedbyclient")


# Watching one view -------------------------------------------------------------------------


@dataclass
class Watch:
    """What one view of an archive caused: at the hostile site, at LinkHome, in the tab."""

    page: Page
    site: HostileSite
    server: LinkhomeServer
    links_before: list[dict]
    site_mark: int = 0
    log_mark: int = 0
    dialogs: list[str] = field(default_factory=list)

    def start(self) -> "Watch":
        self.page.on("dialog", self._dialog)
        self.site_mark = len(self.site.server.requests)  # the capture is over: nothing more
        self.log_mark = self.server.log.stat().st_size
        return self

    def _dialog(self, dialog: object) -> None:
        self.dialogs.append(dialog.message)
        dialog.dismiss()

    def at_site(self) -> list[str]:
        return self.site.seen(self.site_mark)

    def at_linkhome(self) -> list[str]:
        """Requests LinkHome served since the start, as "METHOD /path" (its access log)."""
        with self.server.log.open("rb") as log:
            log.seek(self.log_mark)
            text = log.read().decode(errors="replace")
        return [f"{m} {p}" for m, p in ACCESS_LINE.findall(text)]

    def attacks_on_linkhome(self) -> list[str]:
        return [line for line in self.at_linkhome() if _is_attack(line)]


def _is_attack(line: str) -> bool:
    """Viewing makes GETs of pages, artifacts and static files; anything else is the page."""
    method, path = line.split(" ", 1)
    if path.endswith(f"?{OWN_CALL}"):
        return False
    return method not in ("GET", "HEAD") or path.startswith(("/api/", "/add/", "/links/"))


def links_of(context: BrowserContext, server: LinkhomeServer) -> list[dict]:
    # Marked, so the access log tells the test's own call from the page's attempts.
    response = context.request.get(f"{server.url}/api/links?{OWN_CALL}")
    assert response.ok, response.status
    return sorted(({"id": x["id"], "url": x["url"]} for x in response.json()), key=str)


@pytest.fixture
def watch(owner: BrowserContext, server: LinkhomeServer, site: HostileSite) -> Iterator[Watch]:
    page = owner.new_page()
    yield Watch(page, site, server, links_of(owner, server)).start()
    page.close()


def assert_nothing_leaked(watch: Watch, context: BrowserContext, shown_at: str) -> None:
    watch.page.wait_for_timeout(SETTLE_MS)
    reached_site = watch.at_site()
    attacks = watch.attacks_on_linkhome()
    assert reached_site == [], f"the archived page reached its site: {reached_site}"
    assert attacks == [], f"the archived page called LinkHome: {attacks}"
    assert watch.page.url == shown_at, "the archived page navigated the tab"
    assert watch.dialogs == [], f"the archived page opened a dialog: {watch.dialogs}"
    assert links_of(context, watch.server) == watch.links_before
    watch.page.goto("/")  # the app's origin: the page wrote nothing into its storage
    assert watch.page.evaluate("localStorage.getItem('hostile')") is None


# The views ---------------------------------------------------------------------------------


def test_the_capture_kept_the_hostile_page(kept: Kept) -> None:
    assert {"raw_html", "html", "single_file"} <= kept.kinds, kept.kinds


@pytest.mark.parametrize("kind", ARCHIVED_PAGES)
def test_opening_an_archived_copy_leaks_nothing(
    kind: str, kept: Kept, watch: Watch, owner: BrowserContext
) -> None:
    if kind not in kept.kinds:
        pytest.skip(f"this capture made no {kind} artifact")
    watch.page.goto(f"/s/{kept.hostile}/a/{kind}/")
    expect(watch.page.locator("body")).to_contain_text(PROBE)  # it is shown, scripts and all
    assert_nothing_leaked(watch, owner, shown_at=watch.page.url)


def test_the_framed_view_on_the_snapshot_page_leaks_nothing(
    kept: Kept, watch: Watch, owner: BrowserContext
) -> None:
    watch.page.goto(f"/s/{kept.hostile}/")
    frame = watch.page.locator("#archived-view iframe")
    assert frame.get_attribute("sandbox") == ""  # no allow-anything
    frame.scroll_into_view_if_needed()  # it loads lazily
    expect(watch.page.frame_locator("#archived-view iframe").locator("body")).to_contain_text(PROBE)
    assert_nothing_leaked(watch, owner, shown_at=watch.page.url)


def test_reading_the_snapshot_page_fetches_nothing_from_the_original_site(
    kept: Kept, watch: Watch
) -> None:
    """The readable article's <img> is the archived copy: the site never learns who reads."""
    watch.page.goto(f"/s/{kept.hostile}/")
    expect(watch.page.locator("article#readable")).to_contain_text(PROBE)
    image = watch.page.locator("article#readable img").first
    assert (image.get_attribute("src") or "").startswith("data:image/gif;base64,")
    watch.page.wait_for_timeout(SETTLE_MS)
    assert watch.at_site() == []


def test_the_frame_alone_holds_when_the_csp_is_stripped(
    kept: Kept, watch: Watch, owner: BrowserContext
) -> None:
    """Defence in depth: the iframe's own sandbox attribute stops the page by itself."""
    watch.page.route("**/a/*/**", _without_csp)
    test_the_framed_view_on_the_snapshot_page_leaks_nothing(kept, watch, owner)


# Controls: the same page attacks once nothing holds it --------------------------------------


def _without_csp(route: Route) -> None:
    """The response as served, minus its Content-Security-Policy."""
    parts = urlsplit(route.request.url)
    # Playwright's own client may try ::1 for localhost, where the server does not listen;
    # the Host header still names the archive origin. Redirects go back to the browser.
    url = route.request.url.replace(f"//{parts.netloc}", f"//127.0.0.1:{parts.port}", 1)
    headers = {**route.request.headers, "host": parts.netloc}
    response = route.fetch(url=url, headers=headers, max_redirects=0)
    headers = {k: v for k, v in response.headers.items() if k != "content-security-policy"}
    route.fulfill(response=response, headers=headers)


def _served_at(context: BrowserContext, server: LinkhomeServer, path: str) -> str:
    """Where an artifact is served: on the archive origin, the app only redirects there."""
    response = context.request.get(f"{server.url}{path}", max_redirects=0)
    return response.headers.get("location", f"{server.url}{path}")


def test_control_the_page_attacks_when_opened_directly(site: HostileSite, watch: Watch) -> None:
    # "commit": the page moves the tab while it loads, which aborts the wait for its load.
    watch.page.goto(site.server.url("/hostile.html"), wait_until="commit")
    # Polled, not waited on as a navigation: the meta refresh and top.location race, and the
    # one that loses is reported as an aborted navigation.
    expect(watch.page).to_have_url(EVIL)  # its last attack; the others had their time
    beacons = site.beacons(watch.site_mark)
    print(f"\ncontrol, the page on its own site sent: {beacons}")
    # Each beacon goes three ways (image, fetch, sendBeacon); any one of them arriving counts.
    for script, what in (("inline", "ran"), ("external", "ran"), ("inline", "cookie")):
        sign = re.compile(rf"/beacon/{script}/(send-|fetch-)?{what}\b")
        assert any(sign.search(line) for line in beacons), f"{sign} missing from {beacons}"
    assert "/evil/" in watch.page.url  # top.location or the meta refresh moved the tab
    assert "GET /api/links" in watch.at_linkhome()  # it did call LinkHome (same site)
    assert watch.attacks_on_linkhome(), "the attack detector saw it too"


def test_control_without_the_sandbox_the_archive_attacks_its_viewer(
    kept: Kept, watch: Watch, owner: BrowserContext, request: pytest.FixtureRequest
) -> None:
    """Last on purpose: on the app's origin this control really adds and deletes links."""
    served_at = _served_at(owner, watch.server, f"/s/{kept.hostile}/a/raw_html/")
    watch.page.route(served_at, _without_csp)
    watch.page.goto(served_at, wait_until="commit")
    expect(watch.page).to_have_url(EVIL)
    watch.page.wait_for_timeout(SETTLE_MS)  # the API calls it started may still be running
    beacons, attacks = watch.site.beacons(watch.site_mark), watch.attacks_on_linkhome()
    print(f"\ncontrol, unsandboxed archive sent: {beacons}\nand called LinkHome: {attacks}")
    # Its beacons stay unseen here: a response fulfilled by Playwright counts as public
    # address space, and Chromium's local network access rules then refuse requests to
    # 127.0.0.1 (the control above shows them arriving). The navigation is not refused.
    # top.location or the meta refresh, whichever wins (the alert may cancel the first).
    assert "/evil/" in watch.page.url, "the page moved the tab to its site"
    assert watch.dialogs, "the page's alert() ran"
    if request.node.callspec.params["server"] == "app-origin":
        # Same origin as the app: the session and CSRF cookie are the page's to use.
        assert "POST /api/links" in attacks and "POST /add/" in attacks
        assert links_of(owner, watch.server) != watch.links_before
    else:  # on the archive origin the app's cookies never come along
        assert links_of(owner, watch.server) == watch.links_before
