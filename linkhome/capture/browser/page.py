"""One page in a fresh browser context: load, scroll, settle, then keep what it shows."""

from __future__ import annotations

import asyncio
import base64
import contextlib
import math
import time
from dataclasses import dataclass, field

from playwright.async_api import BrowserContext, Page
from playwright.async_api import Error as PlaywrightError
from playwright.async_api import TimeoutError as PlaywrightTimeout

from linkhome.lib.safe_http import Exchange

from .network import Router

VIEWPORT = {"width": 1280, "height": 800}
THUMBNAIL_WIDTH = 400
# Chromium cannot paint a taller bitmap in one piece; longer pages are cut there.
MAX_SCREENSHOT_HEIGHT = 16000
SETTLE_CAP = 5.0  # seconds to wait for the network to go quiet after scrolling
QUIET_WINDOW = 0.3  # seconds without an open request that count as "quiet"
LOAD_CAP = 10.0  # seconds to wait for "load" once the DOM is there (a hung image must not block)
LOAD_QUIET = 1.0  # seconds of network quiet that stand for a "load" that does not come
OUTPUT_CAP = 10.0  # seconds per output: one that hangs (see PRINT_FIX) costs only itself
MAX_SCROLL_STEPS = 40
MAX_NAVIGATIONS = 2  # a page may go elsewhere by itself this often while it is scrolled
# Per-step pause of the slow pass: long enough for scroll handlers throttled by a timer.
SLOW_PAUSE_MS = 120
BOTTOM_PAUSE_MS = 150  # at the bottom: a loader that waits for scrolling to stop runs here

# Scrolls a viewport at a time so IntersectionObserver and scroll-driven lazy loaders fire,
# then back to the top (screenshots and thumbnails start there). Each step waits two
# animation frames (observers and rAF-driven handlers have run by then) plus `pause` ms.
# Returns whether a script changed images meanwhile (a src or srcset set, an image added):
# the mark of a lazy loader, which may be one throttled by a timer.
SCROLL_SCRIPT = """async ({pause, maxSteps, bottomPause}) => {
  const sleep = (ms) => new Promise((done) => setTimeout(done, ms));
  // A frame may never come (a hidden page): the timeout bounds the wait.
  const frame = () => new Promise((done) => {
    requestAnimationFrame(done); setTimeout(done, 100); });
  let changed = false;
  const watch = new MutationObserver((records) => {
    changed ||= records.some((r) => r.type === "attributes" || [...r.addedNodes].some(
      (n) => n.nodeType === 1 && (n.matches("img, picture") || n.querySelector("img"))));
  });
  watch.observe(document, {subtree: true, childList: true, attributes: true,
                           attributeFilter: ["src", "srcset"]});
  for (let step = 0; step < maxSteps; step++) {
    window.scrollBy(0, window.innerHeight);
    await frame(); await frame();
    if (pause) await sleep(pause);
    const root = document.scrollingElement || document.documentElement;
    if (window.innerHeight + window.scrollY >= root.scrollHeight - 2) break;
  }
  await sleep(bottomPause);
  window.scrollTo(0, 0);
  await frame(); await frame();
  watch.disconnect();
  return changed;
}"""
# Chromium 156 never finishes a PDF when a list item with an outside marker holds nothing
# but an inline wrapping an empty block (<li><a><div></div></a></li>, icon links in
# footers): printToPDF spins. Those items, which show no text, get their marker inside
# when printing; nothing else changes, and the rendered DOM is taken before this.
PRINT_FIX = """() => {
  let marked = 0;
  for (const item of document.querySelectorAll("li, [style*=list-item]")) {
    const style = getComputedStyle(item);
    if (!style.display.includes("list-item") || style.listStylePosition !== "outside") continue;
    if (item.textContent.trim()) continue;
    item.setAttribute("data-linkhome-print-fix", ""); marked++;
  }
  if (marked) {
    const sheet = document.createElement("style");
    sheet.textContent = "@media print{[data-linkhome-print-fix]{list-style-position:inside}}";
    document.head.appendChild(sheet);
  }
  return marked;
}"""


@dataclass
class Rendered:
    """What the browser made of a page; `exchanges` are the ones the WARC does not have yet."""

    url: str
    dom: str
    screenshot: bytes = b""
    thumbnail: bytes = b""
    pdf: bytes = b""
    exchanges: list[Exchange] = field(default_factory=list)
    refused: dict[str, str] = field(default_factory=dict)
    errors: dict[str, str] = field(default_factory=dict)  # output kind -> why it is missing
    seconds: float = 0.0


async def open_context(browser, locale: str = "zh-CN") -> BrowserContext:  # noqa: ANN001
    # Service workers would fetch outside routing; they are off for archived pages anyway.
    return await browser.new_context(
        viewport=VIEWPORT, locale=locale, java_script_enabled=True, service_workers="block"
    )


async def render(context: BrowserContext, url: str, router: Router, budget: float) -> Rendered:
    """Load `url` with every request answered by `router`; raise on a crash or a dead page."""
    started = time.monotonic()
    await context.route("**/*", router.handle)
    # WebSockets are not HTTP requests: route them to nowhere (never connected to a server).
    await context.route_web_socket("**/*", lambda ws: ws.close())
    page = await context.new_page()
    await _load(page, url, router, budget)
    await _scroll(page)
    await router.quiet(QUIET_WINDOW, SETTLE_CAP)  # a page that polls for ever still gets kept
    rendered = Rendered(url=page.url, dom=await page.content())
    await _keep_images(context, page, rendered)
    rendered.seconds = time.monotonic() - started
    return rendered


async def _load(page: Page, url: str, router: Router, budget: float) -> None:
    await page.goto(url, wait_until="domcontentloaded", timeout=budget * 1000)
    # Then "load", or a network quiet for LOAD_QUIET s when "load" never comes (an image
    # whose onerror asks for it again keeps it from firing), within LOAD_CAP s.
    load = asyncio.ensure_future(_load_event(page, min(LOAD_CAP, budget)))
    quiet = asyncio.ensure_future(router.quiet(LOAD_QUIET, min(LOAD_CAP, budget)))
    try:
        await asyncio.wait((load, quiet), return_when=asyncio.FIRST_COMPLETED)
    finally:
        for waiter in (load, quiet):
            waiter.cancel()
        await asyncio.gather(load, quiet, return_exceptions=True)
    failed = load.exception() if load.done() and not load.cancelled() else None
    if failed:
        raise failed  # the page or the browser went away


async def _load_event(page: Page, cap: float) -> None:
    with contextlib.suppress(PlaywrightTimeout):  # a subresource that never ends: go on
        await page.wait_for_load_state("load", timeout=cap * 1000)


async def _scroll(page: Page) -> None:
    """A quick pass; a slow one too when a script changed images during the quick one.

    Most lazy loaders (IntersectionObserver, loading=lazy, rAF-throttled scroll handlers)
    react within two frames, so the quick pass finds their images. A loader throttled by a
    timer reacts at only some of the quick steps; it shows itself by changing images, and
    then every viewport is visited again slowly enough for it."""
    for navigations in range(MAX_NAVIGATIONS + 1):
        try:
            if await page.evaluate(SCROLL_SCRIPT, _scroll_args(0)):
                await page.evaluate(SCROLL_SCRIPT, _scroll_args(SLOW_PAUSE_MS))
            return
        except PlaywrightError as exc:
            if navigations == MAX_NAVIGATIONS or not _navigated(page, exc):
                raise
        # The page went elsewhere by itself (a script, a meta refresh): scroll where it went.
        with contextlib.suppress(PlaywrightTimeout):
            await page.wait_for_load_state("load", timeout=LOAD_CAP * 1000)


def _navigated(page: Page, exc: PlaywrightError) -> bool:
    return not page.is_closed() and "Execution context was destroyed" in str(exc)


def _scroll_args(pause: int) -> dict[str, int]:
    return {"pause": pause, "maxSteps": MAX_SCROLL_STEPS, "bottomPause": BOTTOM_PAUSE_MS}


async def _keep_images(context: BrowserContext, page: Page, rendered: Rendered) -> None:
    """Each output on its own: a PDF that fails still leaves the screenshot."""
    outputs = {
        "screenshot": lambda: _screenshot(context, page),
        "thumbnail": lambda: _thumbnail(context, page),
        "pdf": lambda: _pdf(page),
    }
    for kind, make in outputs.items():
        try:
            setattr(rendered, kind, await asyncio.wait_for(make(), OUTPUT_CAP))
        except TimeoutError:
            rendered.errors[kind] = f"not made within {OUTPUT_CAP:g} s"
        except PlaywrightError as exc:
            # A context made by browser.new_context() always has its browser; none is as
            # good as one that went away.
            browser = context.browser
            if page.is_closed() or browser is None or not browser.is_connected():
                raise
            rendered.errors[kind] = _first_line(exc)


async def _pdf(page: Page) -> bytes:
    await page.evaluate(PRINT_FIX)
    return await page.pdf(print_background=True)


async def _screenshot(context: BrowserContext, page: Page) -> bytes:
    """The whole page as PNG, cut at MAX_SCREENSHOT_HEIGHT.

    Asked of Chromium directly rather than through page.screenshot(full_page=True): that
    cannot ask for Chromium's fast PNG encoder (optimizeForSpeed), which took half the time
    on the benchmark's long pages and made files no larger (still lossless)."""
    session = await context.new_cdp_session(page)
    try:
        size = (await session.send("Page.getLayoutMetrics"))["cssContentSize"]
        width = max(VIEWPORT["width"], math.ceil(size["width"]))
        height = min(max(VIEWPORT["height"], math.ceil(size["height"])), MAX_SCREENSHOT_HEIGHT)
        clip = {"x": 0, "y": 0, "width": width, "height": height, "scale": 1}
        params = {"format": "png", "clip": clip, "captureBeyondViewport": True}
        shot = await session.send("Page.captureScreenshot", {**params, "optimizeForSpeed": True})
    finally:
        await session.detach()
    return base64.b64decode(shot["data"])


async def _thumbnail(context: BrowserContext, page: Page) -> bytes:
    # Chromium scales the first screen down itself (no image library needed): clip.scale.
    session = await context.new_cdp_session(page)
    clip = {**VIEWPORT, "x": 0, "y": 0, "scale": THUMBNAIL_WIDTH / VIEWPORT["width"]}
    try:
        shot = await session.send(
            "Page.captureScreenshot", {"format": "webp", "quality": 75, "clip": clip}
        )
    finally:
        await session.detach()
    return base64.b64decode(shot["data"])


def _first_line(exc: BaseException) -> str:
    return (str(exc).strip().splitlines() or [type(exc).__name__])[0][:300]


async def close_quietly(context: BrowserContext, seconds: float = 5.0) -> bool:
    """Close the context; False when the browser did not answer (it is then restarted)."""
    try:
        await asyncio.wait_for(context.close(), seconds)
        return True
    except (PlaywrightError, TimeoutError):
        return False
