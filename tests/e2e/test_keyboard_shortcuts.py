"""Keyboard shortcuts (issue 14) in a real Chromium against `linkhome serve`: `?` shows the
help in the reader's language and Esc closes it, `/` focuses search without typing a slash,
`a` focuses the add box, `j`/`k` walk the list, and none of them fires while typing."""

from collections.abc import Callable

import pytest
from playwright.sync_api import BrowserContext, Page, expect

from linkhome.testing.processes import run_cli
from tests.e2e.journey import Person, sign_in
from tests.e2e.server import LinkhomeServer

pytestmark = pytest.mark.e2e

DAVE = Person("dave", "快捷键-e2e-Passw0rd")
# Never fetched successfully (nothing listens there): a list needs links, not snapshots.
ADDRESSES = [f"http://127.0.0.1:9/shortcuts/{n}" for n in range(3)]


@pytest.fixture(scope="module")
def dave(linkhome_server: LinkhomeServer) -> Person:
    env = linkhome_server.env
    made = run_cli(env, "createuser", DAVE.username, "--password", DAVE.password)
    assert made.returncode == 0, made.stderr
    added = run_cli(env, "add", *ADDRESSES, "--user", DAVE.username, "--private")
    assert added.returncode == 0, added.stderr
    return DAVE


def signed_in_home(open_context: Callable[..., BrowserContext], person: Person, **kw) -> Page:
    page = open_context(**kw).new_page()
    sign_in(page, person)
    page.goto("/")
    return page


def test_question_mark_shows_the_help_and_escape_closes_it(
    open_context: Callable[..., BrowserContext],
    dave: Person,
    screenshot: Callable[[Page, str], object],
) -> None:
    for locale, heading, line in (
        ("zh-CN", "键盘快捷键", "列表中的下一项、上一项"),
        ("en-US", "Keyboard shortcuts", "Next and previous item of a list"),
    ):
        page = signed_in_home(open_context, dave, locale=locale)
        help_box = page.locator("#shortcuts-help")
        expect(help_box).to_be_hidden()
        page.keyboard.press("?")
        expect(help_box).to_be_visible()
        expect(help_box.locator("h2")).to_have_text(heading)
        expect(help_box).to_contain_text(line)
        screenshot(page, f"shortcuts-help-{locale}")
        page.keyboard.press("Escape")
        expect(help_box).to_be_hidden()
        page.locator("[data-show-shortcuts]").click()  # the footer's button opens it too
        expect(help_box).to_be_visible()
        page.keyboard.press("Escape")
        expect(help_box).to_be_hidden()


def test_slash_focuses_search_and_keys_are_text_while_typing(
    open_context: Callable[..., BrowserContext], dave: Person
) -> None:
    page = signed_in_home(open_context, dave)
    search = page.locator("#search input[name=q]")
    page.keyboard.press("/")
    expect(search).to_be_focused()
    expect(search).to_have_value("")  # the slash focused the box, it was not typed into it
    page.keyboard.type("a/j?k")
    expect(search).to_have_value("a/j?k")
    expect(page.locator("#shortcuts-help")).to_be_hidden()
    page.evaluate("document.activeElement.blur()")
    page.keyboard.press("a")
    expect(page.locator("#add-link input[name=url]")).to_be_focused()
    page.keyboard.type("jk")
    expect(page.locator("#add-link input[name=url]")).to_have_value("jk")


def test_j_and_k_walk_the_list(open_context: Callable[..., BrowserContext], dave: Person) -> None:
    page = signed_in_home(open_context, dave)
    items = page.locator("#my-links > li")
    expect(items).to_have_count(len(ADDRESSES))
    page.keyboard.press("j")
    expect(items.nth(0)).to_have_class("link current")
    expect(items.nth(0).locator("a.title")).to_be_focused()
    page.keyboard.press("j")
    page.keyboard.press("j")
    page.keyboard.press("j")  # past the end stays on the last
    expect(items.nth(2)).to_have_class("link current")
    expect(items.nth(2).locator("a.title")).to_be_focused()
    page.keyboard.press("k")
    expect(items.nth(1)).to_have_class("link current")
    expect(items.nth(2)).to_have_class("link")
    href = items.nth(1).locator("a.title").get_attribute("href")
    page.keyboard.press("Enter")  # the focused title opens
    page.wait_for_url(f"**{href}")


def test_a_signed_out_reader_pressing_a_is_asked_to_sign_in(
    open_context: Callable[..., BrowserContext],
) -> None:
    page = open_context().new_page()
    page.goto("/")
    page.keyboard.press("a")
    page.wait_for_url("**/accounts/login/?next=/save/")
