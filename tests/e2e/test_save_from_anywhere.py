"""Saving from anywhere (issue 12) in a real Chromium against `linkhome serve`: the Tools
page's bookmarklet, run on a page whose Content-Security-Policy refuses every script, opens
the add window prefilled with the page's address and title (through sign-in and back), and
the link is saved; the share target's address with the address in `text` lands prefilled;
Chromium reads the web app manifest without an error.

A bookmarklet runs in the page it is clicked on, outside the page's policy (browsers exempt
bookmarklets from CSP): Playwright's evaluate does the same, with a user gesture, which is
what a click on the bookmarks bar gives. The page's own inline script is refused, which
shows that the policy is in force."""

import json
from collections.abc import Callable, Iterator
from urllib.parse import unquote, urlencode

import pytest
from playwright.sync_api import BrowserContext, Page, expect

from linkhome.testing.http import LocalHTTPServer
from linkhome.testing.processes import run_cli
from tests.e2e.journey import Person, path_of, sign_in
from tests.e2e.server import LinkhomeServer

pytestmark = pytest.mark.e2e

CAROL = Person("carol", "书签-e2e-Passw0rd")
# A title with what HTML, URLs and the bookmarklet's string treat specially.
TITLE = "Strict <page> & \"quotes\" 'too' — 严格的页面 100% #1"
STRICT_POLICY = "default-src 'none'; script-src 'none'; style-src 'none'; base-uri 'none'"
STRICT_PAGE = (
    "<!doctype html><html lang='zh-CN'><head><meta charset='utf-8'>"
    "<title>Strict &lt;page&gt; &amp; \"quotes\" 'too' — 严格的页面 100% #1</title></head>"
    "<body><article><h1>严格的页面</h1><p>这页的策略不许任何脚本运行。</p></article>"
    "<script>document.title = 'the inline script ran';</script></body></html>"
).encode()


@pytest.fixture(scope="module")
def strict_site() -> Iterator[LocalHTTPServer]:
    with LocalHTTPServer() as server:
        yield server


@pytest.fixture(scope="module")
def strict_page(strict_site: LocalHTTPServer) -> str:
    headers = [
        ("Content-Type", "text/html; charset=utf-8"),
        ("Content-Security-Policy", STRICT_POLICY),
    ]
    return strict_site.route("/strict.html", body=STRICT_PAGE, headers=headers)


@pytest.fixture(scope="module")
def carol(linkhome_server: LinkhomeServer) -> Person:
    made = run_cli(linkhome_server.env, "createuser", CAROL.username, "--password", CAROL.password)
    assert made.returncode == 0, made.stderr
    return CAROL


def links_of(server: LinkhomeServer, person: Person) -> list[dict]:
    listed = run_cli(server.env, "list", "--user", person.username, "--json")
    assert listed.returncode == 0, listed.stderr
    return [json.loads(line) for line in listed.stdout.splitlines() if line.strip()]


def bookmarklet_code(page: Page) -> str:
    """What the browser runs when the bookmark is clicked: the address after `javascript:`,
    percent-decoded."""
    page.goto("/tools/")
    href = page.locator("#bookmarklet").get_attribute("href") or ""
    assert href.startswith("javascript:")
    return unquote(href.removeprefix("javascript:"))


def test_the_bookmarklet_saves_a_page_that_forbids_scripts(
    open_context: Callable[..., BrowserContext],
    linkhome_server: LinkhomeServer,
    strict_page: str,
    carol: Person,
    screenshot: Callable[[Page, str], object],
) -> None:
    context = open_context()  # signed out: the window signs in first, then comes back
    page = context.new_page()
    code = bookmarklet_code(page)
    screenshot(page, "tools")
    page.goto(strict_page)
    assert page.title() == TITLE  # the page's own inline script was refused
    with context.expect_page() as opened:
        page.evaluate(code)
    window = opened.value
    window.wait_for_load_state()
    assert path_of(window) == "/accounts/login/"
    window.locator("input[name=username]").fill(carol.username)
    window.locator("input[name=password]").fill(carol.password)
    window.locator("form:has(input[name=password]) button[type=submit]").click()
    window.wait_for_url(lambda url: "/save/" in url)
    expect(window.locator("#save-url")).to_have_value(strict_page)
    expect(window.locator("#save-title")).to_have_value(TITLE)
    assert page.url == strict_page  # the page itself stayed where it was
    window.locator("#save-tags").fill("书签, 严格")
    window.locator("#save-link input[name=private]").check()
    screenshot(window, "save-window")
    window.locator("#save-link button[type=submit]").click()
    expect(window.locator("#saved h2")).to_have_text("已保存到 link之家")
    expect(window.locator("#saved .title")).to_have_text(TITLE)
    screenshot(window, "save-window-done")
    with window.expect_event("close"):  # a window the bookmarklet opened may close itself
        window.locator("[data-close-window]").click()
    [link] = links_of(linkhome_server, carol)
    assert (link["url"], link["title"], link["visibility"]) == (strict_page, TITLE, "private")
    assert sorted(link["tags"]) == sorted(["书签", "严格"])


def test_a_refusal_shows_in_the_window_in_the_readers_language(
    open_context: Callable[..., BrowserContext], carol: Person
) -> None:
    window = open_context(locale="en-US").new_page()
    sign_in(window, carol)
    window.goto("/save/?" + urlencode({"url": "javascript:alert(1)", "title": "x"}))
    window.locator("#save-link button[type=submit]").click()
    expect(window.locator("#save-error")).to_contain_text(
        "This link cannot be added: only http and https addresses can be captured"
    )


def test_the_share_target_finds_the_address_in_the_shared_text(
    open_context: Callable[..., BrowserContext], strict_page: str, carol: Person
) -> None:
    page = open_context().new_page()
    sign_in(page, carol)
    shared = {"title": "", "text": f"see {strict_page}", "url": ""}
    page.goto("/save/?" + urlencode(shared))
    expect(page.locator("#save-url")).to_have_value(strict_page)
    expect(page.locator("#save-title")).to_have_value("see")


def test_chromium_reads_the_app_manifest_without_errors(
    open_context: Callable[..., BrowserContext],
) -> None:
    context = open_context()
    page = context.new_page()
    page.goto("/")
    session = context.new_cdp_session(page)
    read = session.send("Page.getAppManifest")
    assert read["url"].endswith("/manifest.webmanifest")
    assert read["errors"] == []
    parsed = read["manifest"]  # what Chromium understood, share target included
    assert parsed["name"] == "link之家" and parsed["display"] == "kStandalone"
    assert parsed["shareTarget"]["action"].endswith("/save/")
    assert parsed["shareTarget"]["method"] == "kGet"
    assert {icon["url"].rsplit("/", 1)[-1] for icon in parsed["icons"]} >= {
        "icon-192.png",
        "icon-512.png",
    }
    # Installable but for Playwright's contexts being incognito windows.
    errors = session.send("Page.getInstallabilityErrors")["installabilityErrors"]
    assert {error["errorId"] for error in errors} <= {"in-incognito"}
