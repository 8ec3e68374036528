"""SafeClient: the project's one guarded HTTP client.

GET only. Redirects are followed here rather than by a library, so every hop is recorded
as an Exchange and its target goes through check_url and the address guard again. HTTP
error statuses are answers, not failures: they come back as exchanges.
"""

from __future__ import annotations

import functools
import os
import ssl
from collections.abc import Iterable
from datetime import UTC, datetime
from types import TracebackType

import httpcore
import httpx

from linkhome.lib.urls import shown_url

from .decoding import ACCEPT_ENCODING, BodyDecoder
from .errors import HTTPCORE_ERRORS, deadline_error, network_error, too_large_error
from .models import Exchange, FetchError, FetchResult, Limits
from .network import GuardedBackend, Resolver, deadline_passed, deadline_scope, system_resolver
from .urls import check_url

REDIRECT_STATUSES = frozenset({301, 302, 303, 307, 308})
ACCEPT = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"
# Caller headers that must not follow a redirect to another origin.
_ORIGIN_ONLY = frozenset({"authorization", "cookie", "proxy-authorization"})


def shared_ssl_context() -> ssl.SSLContext:
    """Loading the CA bundle costs ~20 ms; a client per capture must not pay it each time.
    An SSLContext is safe to share between threads and connections. httpx reads the CA
    location from SSL_CERT_FILE / SSL_CERT_DIR, so each setting of those gets its own."""
    return _ssl_context(os.environ.get("SSL_CERT_FILE"), os.environ.get("SSL_CERT_DIR"))


@functools.cache
def _ssl_context(cert_file: str | None, cert_dir: str | None) -> ssl.SSLContext:
    return httpx.create_ssl_context()


class SafeClient:
    """Fetch pages within `limits`; only FetchError ever escapes `get`. Thread-safe."""

    def __init__(
        self,
        limits: Limits = Limits(),  # noqa: B008 - frozen dataclass, safe to share
        *,
        resolver: Resolver | None = None,
        trusted_hosts: Iterable[str] = (),
    ) -> None:
        """`resolver` replaces system DNS; `trusted_hosts` are host names allowed to resolve
        to non-public addresses even when `limits.allow_private` is off (an intranet wiki,
        a test's fixture site). IP literals and localhost names are never "trusted"."""
        self.limits = limits
        resolve = resolver or system_resolver
        backend = GuardedBackend(limits.allow_private, resolve, trusted_hosts)
        self._pool = httpcore.ConnectionPool(
            ssl_context=shared_ssl_context(),
            network_backend=backend,
            retries=0,  # a silent retry would be a request nobody recorded
            keepalive_expiry=5.0,
        )

    def get(self, url: str, *, headers: dict[str, str] | None = None) -> FetchResult:
        """GET `url`, following redirects; extra `headers` override the defaults."""
        fetch = _Fetch(self._pool, self.limits, headers or {})
        with deadline_scope(self.limits.deadline):
            return fetch.run(url)

    def post(self, url: str, body: bytes, *, headers: dict[str, str] | None = None) -> Exchange:
        """POST `body` to `url` once, through the same guard and limits as `get`. Redirects
        are not followed (a 3xx comes back as the answer: a POST is not repeated elsewhere);
        only FetchError escapes. For webhooks (linkhome.notify)."""
        fetch = _Fetch(self._pool, self.limits, headers or {})
        with deadline_scope(self.limits.deadline):
            return fetch.post(url, body)

    def close(self) -> None:
        self._pool.close()

    def __enter__(self) -> SafeClient:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.close()


class _Fetch:
    """One call of SafeClient.get: the redirect chain, its cookies, what it has received."""

    def __init__(
        self, pool: httpcore.ConnectionPool, limits: Limits, headers: dict[str, str]
    ) -> None:
        self._pool = pool
        self._limits = limits
        self._extra = {k: v for k, v in headers.items() if k.lower() != "host"}
        self._cookies = httpx.Cookies()  # per fetch: nothing leaks between fetches
        self._exchanges: list[Exchange] = []
        self._seen: set[tuple[str, str | None]] = set()
        self._origin: tuple[str, str, int | None] | None = None

    def run(self, url: str) -> FetchResult:
        try:
            return self._follow(check_url(url, self._limits.allow_private))
        except FetchError as exc:
            exc.exchanges = list(self._exchanges)
            raise
        except Exception as exc:  # a bug or an odd server must still reach callers as data
            message = (
                f"Fetching {shown_url(url)} failed unexpectedly ({type(exc).__name__}: {exc})."
            )
            raise FetchError("protocol", message, exchanges=self._exchanges) from exc

    def post(self, url: str, body: bytes) -> Exchange:
        try:
            url = check_url(url, self._limits.allow_private)
            self._origin = _origin(url)
            headers = self._headers_for(url)
            headers["Accept"] = "*/*"
            request = httpx.Request("POST", url, headers=headers, content=body)
            return self._exchange(request)
        except FetchError:
            raise
        except Exception as exc:  # as in run(): callers get data, not a traceback
            message = (
                f"Posting to {shown_url(url)} failed unexpectedly ({type(exc).__name__}: {exc})."
            )
            raise FetchError("protocol", message) from exc

    def _follow(self, url: str) -> FetchResult:
        self._origin = _origin(url)
        for hop in range(self._limits.max_redirects + 1):
            request = self._request(url)
            exchange = self._exchange(request) if not hop else self._redirected(request, url)
            self._exchanges.append(exchange)
            target = self._redirect_target(exchange)
            if target is None:
                return FetchResult(self._exchanges)
            url = target
        count = self._limits.max_redirects
        message = f"Gave up after {count} redirects (the last one pointed to {shown_url(url)})."
        raise FetchError("too_many_redirects", message)

    def _request(self, url: str) -> httpx.Request:
        request = httpx.Request("GET", url, headers=self._headers_for(url))
        self._cookies.set_cookie_header(request)
        # The same URL with the same cookies can only give the same redirect again;
        # a changed cookie (the "set cookie, reload" dance) is progress, not a loop.
        key = (str(request.url), request.headers.get("cookie"))
        if key in self._seen:
            message = f"The redirects loop: {shown_url(url)} was reached twice."
            raise FetchError("redirect_loop", message)
        self._seen.add(key)
        return request

    def _headers_for(self, url: str) -> httpx.Headers:
        headers = httpx.Headers(
            {
                "User-Agent": self._limits.user_agent,
                "Accept": ACCEPT,
                "Accept-Encoding": ACCEPT_ENCODING,
            }
        )
        same_origin = _origin(url) == self._origin
        for name, value in self._extra.items():
            if same_origin or name.lower() not in _ORIGIN_ONLY:
                headers[name] = value
        return headers

    def _exchange(self, request: httpx.Request) -> Exchange:
        started_at = datetime.now(UTC)
        try:
            response = self._pool.handle_request(_core_request(request, self._limits))
            try:
                return self._record(request, response, started_at)
            finally:
                response.close()
        except HTTPCORE_ERRORS as exc:
            raise network_error(exc, request.url.host, self._limits) from None

    def _redirected(self, request: httpx.Request, url: str) -> Exchange:
        """The exchange of a hop a redirect led to; a failure says so, as a refused IP
        literal does (_redirect_target): a private host name is only refused here, once
        it is resolved, and "refused" alone would blame the address the person gave."""
        try:
            return self._exchange(request)
        except FetchError as exc:
            message = f"Redirected to {shown_url(url)}: {exc.message}"
            raise FetchError(exc.code, message, transient=exc.transient) from None

    def _record(
        self, request: httpx.Request, response: httpcore.Response, started_at: datetime
    ) -> Exchange:
        peer_ip = _peer_ip(response)  # read before the body: the socket may close after it
        raw_body, body = _read_body(response, self._limits)
        headers = response.headers
        self._cookies.extract_cookies(
            httpx.Response(response.status, headers=headers, request=request)
        )
        return Exchange(
            url=str(request.url),
            method=request.method,
            request_headers=_text_pairs(request.headers.raw),
            http_version=response.extensions["http_version"].decode("ascii"),
            status=response.status,
            reason=response.extensions.get("reason_phrase", b"").decode("latin-1"),
            response_headers=_text_pairs(headers),
            raw_body=raw_body,
            body=body,
            peer_ip=peer_ip,
            started_at=started_at,
        )

    def _redirect_target(self, exchange: Exchange) -> str | None:
        location = exchange.header("location")
        if exchange.status not in REDIRECT_STATUSES or not location:
            return None  # a 3xx without Location is a final answer, as in browsers
        try:
            target = str(httpx.URL(exchange.url).join(_as_utf8(location.strip())))
            return check_url(target, self._limits.allow_private)
        except httpx.InvalidURL as exc:
            message = f"{shown_url(exchange.url)} redirects to an invalid address ({exc})."
            raise FetchError("bad_url", message) from None
        except FetchError as exc:
            message = f"Redirected to {shown_url(location)}: {exc.message}"
            raise FetchError(exc.code, message) from None


def _core_request(request: httpx.Request, limits: Limits) -> httpcore.Request:
    url = request.url
    timeouts = {
        "connect": limits.connect_timeout,
        "read": limits.read_timeout,
        "write": limits.read_timeout,
        "pool": limits.deadline,
    }
    return httpcore.Request(
        method=request.method.encode("ascii"),
        url=httpcore.URL(
            scheme=url.raw_scheme, host=url.raw_host, port=url.port, target=url.raw_path
        ),
        headers=request.headers.raw,
        content=request.content or None,
        extensions={"timeout": timeouts},
    )


def _read_body(response: httpcore.Response, limits: Limits) -> tuple[bytes, bytes]:
    """(raw bytes, decoded bytes), refusing to hold more than `max_body` of either."""
    declared = _content_length(response.headers)
    if declared is not None and declared > limits.max_body:
        raise too_large_error(limits, declared)
    decoder = BodyDecoder(_joined(response.headers, b"content-encoding"), limits.max_body)
    raw = bytearray()
    for chunk in response.stream:  # type: ignore[union-attr]
        raw += chunk
        if len(raw) > limits.max_body:
            raise too_large_error(limits)
        if not decoder.identity:
            decoder.feed(chunk)
        if deadline_passed():
            raise deadline_error(limits)
    raw_body = bytes(raw)
    return raw_body, raw_body if decoder.identity else decoder.result()


def _content_length(headers: list[tuple[bytes, bytes]]) -> int | None:
    value = _joined(headers, b"content-length")
    return int(value) if value and value.isdigit() else None


def _joined(headers: list[tuple[bytes, bytes]], name: bytes) -> str | None:
    """All values of header `name` joined with ", " (how HTTP combines repeats), or None."""
    values = [v.decode("latin-1") for k, v in headers if k.lower() == name]
    return ", ".join(values) if values else None


def _text_pairs(headers: list[tuple[bytes, bytes]]) -> list[tuple[str, str]]:
    # latin-1 maps bytes to text one-to-one, so the WARC writer can restore them exactly.
    return [(k.decode("latin-1"), v.decode("latin-1")) for k, v in headers]


def _peer_ip(response: httpcore.Response) -> str:
    stream = response.extensions.get("network_stream")
    address = stream.get_extra_info("server_addr") if stream is not None else None
    return str(address[0]) if address else ""


def _as_utf8(value: str) -> str:
    """Header text arrives as latin-1; a UTF-8 Location ("/文章") is read back as UTF-8."""
    try:
        return value.encode("latin-1").decode("utf-8")
    except UnicodeError:
        return value


def _origin(url: str) -> tuple[str, str, int | None]:
    parsed = httpx.URL(url)
    return parsed.scheme, parsed.host, parsed.port
