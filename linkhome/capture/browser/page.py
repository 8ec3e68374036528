"""One page in a fresh browser context: load, scroll, settle, then keep what it shows."""

from __future__ import annotations

import asyncio
import base64
import contextlib
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
LOAD_CAP = 10.0  # seconds to wait for "load" once the DOM is there (a hung image must not block)

# Scrolls a viewport at a time so IntersectionObserver and scroll-driven lazy loaders fire,
# then back to the top (screenshots and thumbnails start there). Bounded in steps and time.
SCROLL_SCRIPT = """async ({pause, maxSteps}) => {
  const sleep = (ms) => new Promise((done) => setTimeout(done, ms));
  for (let step = 0; step < maxSteps; step++) {
    window.scrollBy(0, window.innerHeight);
    await sleep(pause);
    const root = document.scrollingElement || document.documentElement;
    if (window.innerHeight + window.scrollY >= root.scrollHeight - 2) break;
  }
  window.scrollTo(0, 0);
  await sleep(pause);
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
    await _load(page, url, budget)
    await page.evaluate(SCROLL_SCRIPT, {"pause": 120, "maxSteps": 40})
    await _settle(page)
    rendered = Rendered(url=page.url, dom=await page.content())
    await _keep_images(context, page, rendered)
    rendered.seconds = time.monotonic() - started
    return rendered


async def _load(page: Page, url: str, budget: float) -> None:
    await page.goto(url, wait_until="domcontentloaded", timeout=budget * 1000)
    with contextlib.suppress(PlaywrightTimeout):  # a subresource that never ends: go on
        await page.wait_for_load_state("load", timeout=min(LOAD_CAP, budget) * 1000)


async def _settle(page: Page) -> None:
    # A page that polls for ever is still worth its screenshot.
    with contextlib.suppress(PlaywrightTimeout):
        await page.wait_for_load_state("networkidle", timeout=SETTLE_CAP * 1000)


async def _keep_images(context: BrowserContext, page: Page, rendered: Rendered) -> None:
    """Each output on its own: a PDF that fails still leaves the screenshot."""
    outputs = {
        "screenshot": lambda: _screenshot(page),
        "thumbnail": lambda: _thumbnail(context, page),
        "pdf": lambda: page.pdf(print_background=True),
    }
    for kind, make in outputs.items():
        try:
            setattr(rendered, kind, await make())
        except PlaywrightError as exc:
            if page.is_closed() or not context.browser.is_connected():
                raise
            rendered.errors[kind] = _first_line(exc)


async def _screenshot(page: Page) -> bytes:
    height = await page.evaluate("document.documentElement.scrollHeight")
    if height <= MAX_SCREENSHOT_HEIGHT:
        return await page.screenshot(full_page=True, type="png")
    clip = {"x": 0, "y": 0, "width": VIEWPORT["width"], "height": MAX_SCREENSHOT_HEIGHT}
    return await page.screenshot(full_page=True, clip=clip, type="png")


async def _thumbnail(context: BrowserContext, page: Page) -> bytes:
    # Chromium scales the first screen down itself (no image library needed): clip.scale.
    session = await context.new_cdp_session(page)
    clip = {**VIEWPORT, "x": 0, "y": 0, "scale": THUMBNAIL_WIDTH / VIEWPORT["width"]}
    shot = await session.send(
        "Page.captureScreenshot", {"format": "webp", "quality": 75, "clip": clip}
    )
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
