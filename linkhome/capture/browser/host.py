"""One long-lived Chromium per worker process, driven from a thread of its own.

Why a thread of its own: Playwright objects belong to the thread (event loop) that made
them, and while Playwright's sync API runs, Django refuses the ORM in that thread. So the
browser lives in a daemon thread running an asyncio loop with Playwright's async API, and
captures (from any thread: the worker's, a CLI --wait, a test) hand it a page to render and
wait for the answer. No database work happens in that thread.

Bounded: `concurrency` pages at a time (a semaphore), each within `timeout` seconds, a fresh
context each; the browser is restarted after `restart_every` captures (Chromium's memory
grows) and relaunched when it crashed or stopped answering.
"""

from __future__ import annotations

import asyncio
import atexit
import logging
import os
import threading
from collections.abc import Iterable
from concurrent.futures import ThreadPoolExecutor
from concurrent.futures import TimeoutError as FutureTimeout
from dataclasses import dataclass

from playwright.async_api import Browser, Playwright, async_playwright
from playwright.async_api import Error as PlaywrightError

from linkhome.lib.safe_http import Exchange

from .network import Fetch, Router
from .page import Rendered, close_quietly, open_context, render

log = logging.getLogger("linkhome.capture.browser")
# No sandbox (workers run as root in containers), nothing that phones home, and a proxy that
# leads nowhere: a request that ever escaped routing (see network.py) fails instead of
# reaching the network. Loopback goes through it too (<-loopback>).
BASE_ARGS = (
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
)
CHROMIUM_ARGS = (
    *BASE_ARGS,
    "--disable-dev-shm-usage",
    "--proxy-server=http://127.0.0.1:9",
    "--proxy-bypass-list=<-loopback>",
)
# How long a caller waits for its page, in page budgets plus GRACE seconds. The budget itself
# is enforced inside the loop (asyncio.wait_for); this only guards against a wedged loop, and
# leaves room for waiting on a free slot while other pages render.
CALLER_BUDGETS = 3
GRACE = 15.0
FETCH_THREADS = 6  # Chromium asks a host for up to six things at once


class BrowserCrashed(Exception):
    """The browser died during the capture: the capture should be tried again."""


class BrowserFailed(Exception):
    """The page could not be rendered (a timeout, a navigation error)."""

    def __init__(self, reason: str, exchanges: list[Exchange] | None = None) -> None:
        super().__init__(reason)
        self.reason = reason
        self.exchanges = exchanges or []


@dataclass(frozen=True)
class BrowserConfig:
    executable: str = "/usr/bin/chromium"
    timeout: float = 30.0
    restart_every: int = 50
    concurrency: int = 1
    max_requests: int = 1000


class BrowserHost:
    """Owns the loop thread, Playwright and the browser; `render` is safe from any thread."""

    def __init__(self, config: BrowserConfig) -> None:
        self.config = config
        self.loop = asyncio.new_event_loop()
        self._thread = threading.Thread(
            target=self.loop.run_forever, name="linkhome-browser", daemon=True
        )
        self._thread.start()
        self._fetchers = ThreadPoolExecutor(FETCH_THREADS, thread_name_prefix="linkhome-fetch")
        self._playwright: Playwright | None = None
        self._browser: Browser | None = None
        self.launches = 0
        self.used = 0  # captures since the browser was launched
        self._busy = 0
        self._slots, self._launching = self._call(self._primitives(), 10)

    async def _primitives(self) -> tuple[asyncio.Semaphore, asyncio.Lock]:
        return asyncio.Semaphore(self.config.concurrency), asyncio.Lock()

    def _call(self, coro, timeout: float):  # noqa: ANN001, ANN202
        future = asyncio.run_coroutine_threadsafe(coro, self.loop)
        try:
            return future.result(timeout)
        except FutureTimeout:
            future.cancel()
            raise

    def render(self, url: str, seed: Iterable[Exchange], fetch: Fetch) -> Rendered:
        """Render `url`; raises BrowserCrashed or BrowserFailed."""
        try:
            wait = self.config.timeout * CALLER_BUDGETS + GRACE
            return self._call(self._render(url, list(seed), fetch), wait)
        except FutureTimeout:
            raise BrowserFailed("the browser did not answer in time") from None

    async def _render(self, url: str, seed: list[Exchange], fetch: Fetch) -> Rendered:
        async with self._slots:
            browser = await self._ready_browser()
            self._busy += 1
            try:
                return await self._render_with(browser, url, seed, fetch)
            finally:
                self._busy -= 1
                self.used += 1
                await self._maybe_retire()

    async def _render_with(
        self, browser: Browser, url: str, seed: list[Exchange], fetch: Fetch
    ) -> Rendered:
        router = Router(fetch, seed, self._fetchers, self.config.max_requests)
        try:
            context = await asyncio.wait_for(open_context(browser), 10)
        except (PlaywrightError, TimeoutError) as exc:  # died between two captures
            await self._retire(browser)
            raise BrowserCrashed("the browser could not open a page") from exc
        try:
            rendered = await asyncio.wait_for(
                render(context, url, router, self.config.timeout), self.config.timeout
            )
        except (PlaywrightError, TimeoutError) as exc:
            alive = await _alive(browser)
            if not alive:  # never hand a dead browser to the next capture
                await self._retire(browser)
            raise self._failure(alive, exc, router) from exc
        finally:
            if not await close_quietly(context):
                await self._retire(browser)  # a browser that cannot close a tab is wedged
        if not browser.is_connected():
            raise BrowserCrashed("the browser stopped during the capture")
        rendered.exchanges, rendered.refused = router.exchanges, router.refused
        return rendered

    def _failure(self, alive: bool, exc: Exception, router: Router) -> Exception:
        if not alive:
            log.warning("the browser died during a capture: %s", exc)
            return BrowserCrashed("the browser stopped during the capture")
        if isinstance(exc, TimeoutError):
            reason = f"the page did not finish rendering within {self.config.timeout:g} s"
        else:
            reason = f"the browser could not render the page: {_first_line(exc)}"
        return BrowserFailed(reason, router.exchanges)

    async def _ready_browser(self) -> Browser:
        async with self._launching:
            if self._browser is None or not self._browser.is_connected():
                self._browser = await self._launch()
                self.used = 0
            return self._browser

    async def _launch(self) -> Browser:
        for attempt in (1, 2):
            try:
                if self._playwright is None:
                    self._playwright = await async_playwright().start()
                return await self._start_chromium(self._playwright)
            except Exception as exc:
                # A dead Playwright driver fails every launch: start it afresh once.
                log.warning("launching Chromium failed (attempt %d): %s", attempt, exc)
                await self._stop_playwright()
                error = exc
        raise BrowserFailed(f"Chromium could not be started: {_first_line(error)}")

    async def _start_chromium(self, playwright: Playwright) -> Browser:
        browser = await playwright.chromium.launch(
            executable_path=self.config.executable, args=list(CHROMIUM_ARGS)
        )
        self.launches += 1
        log.info("Chromium started (%s)", browser.version)
        return browser

    async def _maybe_retire(self) -> None:
        # Restart only between captures, so none in flight loses its browser.
        if self.used >= self.config.restart_every and not self._busy and self._browser:
            await self._retire(self._browser)

    async def _retire(self, browser: Browser) -> None:
        if self._browser is browser:
            self._browser = None
        try:
            await asyncio.wait_for(browser.close(), 10)
        except PlaywrightError:
            pass  # dead already
        except TimeoutError:
            await self._stop_playwright()  # hung: the driver takes its browsers down with it

    async def _stop_playwright(self) -> None:
        playwright, self._playwright, self._browser = self._playwright, None, None
        if playwright is not None:
            try:
                await asyncio.wait_for(playwright.stop(), 10)
            except Exception:  # already dead: nothing to stop
                log.debug("stopping Playwright failed", exc_info=True)

    async def _shutdown(self) -> None:
        if self._browser is not None:
            await self._retire(self._browser)
        await self._stop_playwright()
        # Route handlers of closed pages may still wait on a fetch: end them, not the loop
        # under them (which would print "Task was destroyed but it is pending").
        pending = [t for t in asyncio.all_tasks() if t is not asyncio.current_task()]
        for task in pending:
            task.cancel()
        await asyncio.gather(*pending, return_exceptions=True)

    def close(self) -> None:
        try:
            self._call(self._shutdown(), 20)
        except Exception:
            log.warning("the browser did not stop cleanly", exc_info=True)
        self.loop.call_soon_threadsafe(self.loop.stop)
        self._fetchers.shutdown(wait=False, cancel_futures=True)


async def _alive(browser: Browser) -> bool:
    """Does the browser still answer? Right after Chromium died, Playwright may not have
    noticed yet (is_connected() stays true for a moment), so it is asked for a context."""
    if not browser.is_connected():
        return False
    try:
        context = await asyncio.wait_for(browser.new_context(), 5)
        await asyncio.wait_for(context.close(), 5)
        return True
    except (PlaywrightError, TimeoutError):
        return False


def _first_line(exc: BaseException) -> str:
    return (str(exc).strip().splitlines() or [type(exc).__name__])[0][:300]


_HOST: BrowserHost | None = None
_HOST_PID = 0
_HOST_LOCK = threading.Lock()


def browser_host(config: BrowserConfig) -> BrowserHost:
    """This process's browser host (made on first use; a forked child makes its own)."""
    global _HOST, _HOST_PID
    with _HOST_LOCK:
        if _HOST is None or os.getpid() != _HOST_PID or _HOST.config != config:
            if _HOST is not None and os.getpid() == _HOST_PID:
                _HOST.close()  # settings changed (tests do): the old browser goes
            _HOST, _HOST_PID = BrowserHost(config), os.getpid()
        return _HOST


@atexit.register
def _close_host() -> None:
    if _HOST is not None and os.getpid() == _HOST_PID:
        _HOST.close()
