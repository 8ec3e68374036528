"""The look of issue 14 (first part) in a real Chromium against `linkhome serve`: the theme
follows the system until the reader chooses, the choice is remembered and applied before the
page's body exists (no flash of the wrong theme), a badge never wraps in a narrow column, the
favicon answers, and the designed 404 page is what a mistyped address shows.

Screenshots (tests/screenshots/surface-*.png, not committed): home and the 404 page at 1280
and 390 px, zh-hans and en, light and dark."""

from collections.abc import Callable

import pytest
from playwright.sync_api import BrowserContext, Page, expect

pytestmark = pytest.mark.e2e

LIGHT_BG, DARK_BG = "rgb(247, 248, 250)", "rgb(20, 23, 28)"  # --bg of each theme
# Runs before any of the page's own scripts: notes the theme at the moment <body> appears.
THEME_AT_BODY = """
new MutationObserver((changes, observer) => {
  if (document.body) {
    window.__themeAtBody = document.documentElement.getAttribute("data-theme") || "";
    observer.disconnect();
  }
}).observe(document, {childList: true, subtree: true});
"""


def _background(page: Page) -> str:
    return page.evaluate("getComputedStyle(document.documentElement).backgroundColor")


def test_the_system_theme_is_followed(open_context: Callable[..., BrowserContext]) -> None:
    dark = open_context(color_scheme="dark").new_page()
    dark.goto("/")
    assert _background(dark) == DARK_BG
    expect(dark.locator("#theme-switch")).to_have_attribute("aria-pressed", "true")
    light = open_context(color_scheme="light").new_page()
    light.goto("/")
    assert _background(light) == LIGHT_BG


def test_the_readers_choice_is_remembered_without_a_flash(
    open_context: Callable[..., BrowserContext],
) -> None:
    context = open_context(color_scheme="light")
    context.add_init_script(THEME_AT_BODY)
    page = context.new_page()
    page.goto("/")
    page.locator("#theme-switch").click()
    assert _background(page) == DARK_BG
    page.goto("/no-such-page/")  # another page, the same reader
    # Set before <body> exists; the stylesheet blocks rendering, so the first paint is dark.
    assert page.evaluate("window.__themeAtBody") == "dark"
    assert _background(page) == DARK_BG
    page.locator("#theme-switch").click()  # and back: light now beats a dark system too
    assert _background(page) == LIGHT_BG


def test_a_badge_never_wraps_in_a_narrow_column(
    open_context: Callable[..., BrowserContext],
) -> None:
    page = open_context(viewport={"width": 390, "height": 844}).new_page()
    page.goto("/")
    lines = page.evaluate(
        """() => {
        const box = document.createElement("div");
        box.style.width = "12px";  // narrower than the word
        box.innerHTML = '<span class="badge failed">失败</span>';
        document.querySelector("main").append(box);
        const badge = box.firstChild, style = getComputedStyle(badge);
        return Math.round(badge.getBoundingClientRect().height / parseFloat(style.lineHeight));
    }"""
    )
    assert lines == 1


def test_the_favicon_and_the_designed_404(
    open_context: Callable[..., BrowserContext], screenshot: Callable[[Page, str], object]
) -> None:
    for locale, language in (("zh-CN", "zh"), ("en-US", "en")):
        for scheme in ("light", "dark"):
            for width in (1280, 390):
                context = open_context(
                    locale=locale, color_scheme=scheme, viewport={"width": width, "height": 900}
                )
                page = context.new_page()
                icon = page.request.get("/favicon.ico")
                assert icon.status == 200 and icon.headers["content-type"] == "image/x-icon"
                answer = page.goto("/s/999999/")
                assert answer is not None and answer.status == 404
                expect(page.locator(".error-code")).to_have_text("404")
                expect(page.locator("a.button[href='/']")).to_be_visible()
                screenshot(page, f"surface-404-{language}-{scheme}-{width}")
                page.goto("/")
                screenshot(page, f"surface-home-{language}-{scheme}-{width}")
                context.close()
