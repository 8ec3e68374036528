"""Every request of a rendered page is answered by LinkHome's guarded client, not by Chromium.

Why: Chromium fetching by itself would bypass the SSRF guard and the size and time limits,
and what it received would be missing from the WARC. So every request is intercepted and
answered (route.fulfill) from, in order:
1. exchanges already made in this capture (the page HTTP mode fetched, earlier answers);
2. SafeClient, whose exchanges all go to the snapshot's WARC.
A request SafeClient refuses (a private address, too big, too slow) is aborted.

Redirects are followed by SafeClient and the browser gets the final answer at the URL it
asked for: Chromium follows a fulfilled 3xx *without* routing the next request (tried with
Playwright 1.65 and Debian's Chromium), which would let the page reach any address. Only GET
is sent (SafeClient is GET only): a page's POSTs and beacons are refused, not replayed.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections.abc import Callable, Iterable
from concurrent.futures import Executor

from playwright.async_api import Error as PlaywrightError
from playwright.async_api import Route

from linkhome.capture.responses import known_chain, remember
from linkhome.lib.safe_http import Exchange, FetchError, FetchResult

log = logging.getLogger("linkhome.capture.browser")
Fetch = Callable[[str, dict[str, str]], FetchResult]
# The request headers of the page worth passing on; SafeClient sets the rest (its own
# User-Agent and the encodings it can decode) so the WARC shows what LinkHome really sent.
FORWARDED = frozenset({"accept", "accept-language", "referer", "cookie"})
# The body handed to Chromium is decoded; these would describe the wire form.
WIRE_ONLY = frozenset({"content-encoding", "content-length", "transfer-encoding"})
QUIET_POLL = 0.02  # seconds between looks at the open requests while waiting for quiet


class Router:
    """The route handler of one capture; collects what the WARC must get."""

    def __init__(
        self, fetch: Fetch, seed: Iterable[Exchange], executor: Executor, max_requests: int
    ) -> None:
        self.fetch = fetch
        self.executor = executor
        self.max_requests = max_requests
        self.known: dict[str, Exchange] = {}
        remember(self.known, list(seed))
        self.exchanges: list[Exchange] = []  # new ones only: the seed is recorded already
        self.refused: dict[str, str] = {}
        self.requests = 0  # fetched through SafeClient (bounded by max_requests)
        # Fetches through SafeClient open now, and when the last one started or ended.
        self.in_flight = 0
        self.last_activity = time.monotonic()

    async def quiet(self, window: float, cap: float) -> bool:
        """Wait until no fetch has been open for `window` seconds (at most `cap`).

        Every request of the page is routed here, so this sees the network as it is, unlike
        Playwright's "networkidle", which always waits 500 ms more after the last one.
        Requests answered from `known` do not count: they are answered at once and bring
        nothing new (a page whose broken image's onerror asks for it again and again, seen
        on the benchmark site, would otherwise never be quiet)."""
        deadline = time.monotonic() + cap
        while True:
            now = time.monotonic()
            idle_for = now - self.last_activity
            if not self.in_flight and idle_for >= window:
                return True
            if now >= deadline:
                return False
            wait = QUIET_POLL if self.in_flight else max(window - idle_for, QUIET_POLL)
            await asyncio.sleep(min(wait, deadline - now))

    async def handle(self, route: Route) -> None:
        try:
            answer = await self._answer(route)
            if answer is None:
                await route.abort("blockedbyclient")
            else:
                await route.fulfill(
                    status=answer.status, headers=_headers(answer), body=answer.body
                )
        except PlaywrightError:
            pass  # the page or browser went away meanwhile: nothing is left to answer
        except Exception:  # a bug here must not leave the page waiting for ever
            log.exception("answering %s failed", route.request.url)
            await _abort_quietly(route)

    async def _answer(self, route: Route) -> Exchange | None:
        request = route.request
        if request.method != "GET":
            self._refuse(request.url, f"{request.method} requests are not sent")
            return None
        chain = known_chain(self.known, request.url)
        if chain is not None:
            return chain[-1]
        self.requests += 1
        if self.requests > self.max_requests:
            self._refuse(request.url, f"more than {self.max_requests} requests")
            return None
        return await self._fetch(request.url, await request.all_headers())

    async def _fetch(self, url: str, headers: dict[str, str]) -> Exchange | None:
        wanted = {k: v for k, v in headers.items() if k.lower() in FORWARDED}
        loop = asyncio.get_running_loop()
        self.in_flight += 1
        self.last_activity = time.monotonic()
        try:
            result = await loop.run_in_executor(self.executor, self.fetch, url, wanted)
        except FetchError as exc:
            self.exchanges += exc.exchanges
            self._refuse(url, exc.message)
            return None
        finally:
            self.in_flight -= 1
            self.last_activity = time.monotonic()
        self.exchanges += result.exchanges
        remember(self.known, result.exchanges)
        return result.final

    def _refuse(self, url: str, reason: str) -> None:
        """Note why `url` gets no answer (the caller then answers None: the page sees a
        blocked request)."""
        self.refused[url] = reason


def _headers(exchange: Exchange) -> dict[str, str]:
    headers: dict[str, str] = {}
    for name, value in exchange.response_headers:
        key = name.lower()
        if key in WIRE_ONLY:
            continue
        # Repeats are joined as HTTP allows; Set-Cookie (which cannot be) as Playwright wants.
        joint = "\n" if key == "set-cookie" else ", "
        headers[key] = f"{headers[key]}{joint}{value}" if key in headers else value
    return headers


async def _abort_quietly(route: Route) -> None:
    with contextlib.suppress(PlaywrightError):
        await route.abort("failed")
