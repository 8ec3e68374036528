"""A real local HTTP server for tests: real sockets, real bytes, no mocking of httpx.

    server = LocalHTTPServer()          # or the `http_server` pytest fixture
    server.route("/page", body=b"<html>...", headers=[("Content-Type", "text/html")])
    server.redirect("/old", to="/page")
    client.get(server.url("/old"))
    assert server.requests == []        # e.g. after a refused fetch

It listens on 127.0.0.1 on a free port (https when given a TLS context), answers each
connection in a daemon thread, logs every request it receives, and speaks HTTP/1.1
(keep-alive, chunked bodies). No Django.
"""

from __future__ import annotations

import gzip
import ssl
import threading
import zlib
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from functools import lru_cache
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import TracebackType
from urllib.parse import urlsplit

Headers = list[tuple[str, str]]
# Gets the request (.command, .path, .headers); returns (status, headers, body) to answer,
# or None after writing a raw response itself to .wfile (for malformed or dripping replies).
Handler = Callable[[BaseHTTPRequestHandler], "tuple[int, Headers, bytes] | None"]
Chunks = Iterable[bytes] | Callable[[], Iterable[bytes]]


@dataclass
class Route:
    """What one path answers. `chunks` (sent chunked) wins over `body`; `handler` over both."""

    body: bytes = b""
    status: int = 200
    headers: Headers | None = None
    delay: float = 0.0  # seconds before the status line: for read timeouts
    chunks: Chunks | None = None  # a list, or a callable giving a fresh iterable per request
    handler: Handler | None = None  # computes the answer per request (see Handler)


class LocalHTTPServer:
    """A threaded HTTP server on 127.0.0.1 whose answers a test declares per path."""

    def __init__(self, tls: ssl.SSLContext | None = None) -> None:
        """`tls`: a server-side context (certificate loaded) to serve https instead."""
        self.routes: dict[str, Route] = {}
        self.requests: list[tuple[str, str, Headers]] = []  # (method, path, headers) as seen
        self.stopping = threading.Event()  # endless and slow bodies end when it is set
        self._httpd = _Server(("127.0.0.1", 0), _RequestHandler)
        self._httpd.app = self
        if tls is not None:  # the handshake then runs in the handler thread, not the accept loop
            self._httpd.socket = tls.wrap_socket(
                self._httpd.socket, server_side=True, do_handshake_on_connect=False
            )
        self.scheme = "http" if tls is None else "https"
        self.port: int = self._httpd.server_address[1]
        # A short poll interval makes close() (and so every test teardown) fast.
        serve, options = self._httpd.serve_forever, {"poll_interval": 0.02}
        self._thread = threading.Thread(target=serve, kwargs=options, daemon=True)
        self._thread.start()

    def url(self, path: str = "/") -> str:
        return f"{self.scheme}://127.0.0.1:{self.port}{path}"

    def route(
        self,
        path: str,
        body: bytes = b"",
        status: int = 200,
        headers: Headers | None = None,
        delay: float = 0.0,
        chunks: Chunks | None = None,
        handler: Handler | None = None,
    ) -> str:
        """Declare what `path` answers (query strings are ignored); returns its URL."""
        self.routes[path] = Route(body, status, headers, delay, chunks, handler)
        return self.url(path)

    # Ready-made behaviours ------------------------------------------------------------

    def redirect(self, path: str, to: str, status: int = 302) -> str:
        return self.route(path, status=status, headers=[("Location", to)])

    def redirect_loop(self, first: str, second: str) -> str:
        """`first` redirects to `second` and back again; returns the URL of `first`."""
        self.redirect(second, first)
        return self.redirect(first, second)

    def error(self, path: str, status: int, body: bytes = b"error") -> str:
        """A 404, 500, 429 (with Retry-After)... answer."""
        headers = [("Content-Type", "text/plain"), ("Retry-After", "120")] if status == 429 else []
        return self.route(path, body=body, status=status, headers=headers or None)

    def slow_drip(self, path: str, body: bytes = b"x" * 100, interval: float = 1.0) -> str:
        """Sends `body` one byte per `interval` seconds: each read is fast, the whole is not."""
        return self.route(path, chunks=lambda: self._drip(body, interval))

    def endless(self, path: str, block: bytes = b"x" * 65536) -> str:
        """A chunked body that never ends (until the client goes away or the server stops)."""
        return self.route(path, chunks=lambda: self._forever(block))

    def gzipped(self, path: str, body: bytes, headers: Headers | None = None) -> str:
        extra = [("Content-Encoding", "gzip"), *(headers or [])]
        return self.route(path, body=gzip.compress(body), headers=extra)

    def gzip_bomb(self, path: str, expanded_size: int = 1 << 30) -> str:
        """A small gzip body that expands to `expanded_size` zero bytes."""
        headers = [("Content-Type", "text/html"), ("Content-Encoding", "gzip")]
        return self.route(path, body=gzip_of_zeros(expanded_size), headers=headers)

    def _drip(self, body: bytes, interval: float) -> Iterator[bytes]:
        for index in range(len(body)):
            if self.stopping.wait(interval):
                return
            yield body[index : index + 1]

    def _forever(self, block: bytes) -> Iterator[bytes]:
        while not self.stopping.is_set():
            yield block

    # Lifecycle ----------------------------------------------------------------------

    def close(self) -> None:
        self.stopping.set()
        self._httpd.shutdown()
        self._httpd.server_close()
        self._thread.join(timeout=5)

    def __enter__(self) -> LocalHTTPServer:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.close()


@lru_cache(maxsize=8)
def gzip_of_zeros(size: int) -> bytes:
    """gzip of `size` zero bytes, built block by block so it never holds `size` bytes."""
    compressor = zlib.compressobj(9, zlib.DEFLATED, 31)
    block = bytes(1 << 20)
    parts = [compressor.compress(block) for _ in range(size // len(block))]
    parts.append(compressor.compress(bytes(size % len(block))))
    return b"".join(parts) + compressor.flush()


class _Server(ThreadingHTTPServer):
    daemon_threads = True  # a stuck handler never keeps the test process alive
    block_on_close = False
    app: LocalHTTPServer

    def handle_error(self, request: object, client_address: object) -> None:
        pass  # clients that hang up early are what many tests do on purpose


class _RequestHandler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    # Headers and body go out in separate writes; with Nagle on, delayed ACKs add ~40 ms
    # to every answer. Real servers set TCP_NODELAY too.
    disable_nagle_algorithm = True
    server: _Server

    def do_GET(self) -> None:
        app = self.server.app
        app.requests.append((self.command, self.path, list(self.headers.items())))
        route = app.routes.get(urlsplit(self.path).path)
        try:
            _answer(self, route or Route(b"not found", 404), app.stopping)
        except OSError:  # the client went away (it stopped reading: that is often the test)
            self.close_connection = True

    do_HEAD = do_POST = do_PUT = do_DELETE = do_GET

    def log_message(self, format: str, *args: object) -> None:
        pass  # keep test output clean


def _answer(handler: BaseHTTPRequestHandler, route: Route, stopping: threading.Event) -> None:
    if route.delay and stopping.wait(route.delay):
        return
    answer = _computed(handler, route.handler) if route.handler else route
    if answer is None:
        handler.close_connection = True  # framing unknown: the raw reply ends with the socket
        return
    _send_head(handler, answer)
    if answer.chunks is not None:
        _send_chunked(handler, answer.chunks)
    else:
        _send_whole(handler, answer.body)


def _computed(handler: BaseHTTPRequestHandler, compute: Handler) -> Route | None:
    answer = compute(handler)
    if answer is None:
        return None
    status, headers, body = answer
    return Route(body=body, status=status, headers=headers)


def _send_head(handler: BaseHTTPRequestHandler, route: Route) -> None:
    """Status line and headers, with a default Content-Type; framing headers come later."""
    handler.send_response(route.status)
    headers = route.headers or []
    if not any(name.lower() == "content-type" for name, _ in headers):
        headers = [("Content-Type", "text/html; charset=utf-8"), *headers]
    for name, value in headers:
        handler.send_header(name, value)


def _send_whole(handler: BaseHTTPRequestHandler, body: bytes) -> None:
    handler.send_header("Content-Length", str(len(body)))
    handler.end_headers()
    if handler.command != "HEAD":
        handler.wfile.write(body)


def _send_chunked(handler: BaseHTTPRequestHandler, chunks: Chunks) -> None:
    handler.send_header("Transfer-Encoding", "chunked")
    handler.end_headers()
    for chunk in chunks() if callable(chunks) else chunks:
        if chunk:
            handler.wfile.write(b"%x\r\n%s\r\n" % (len(chunk), chunk))
            handler.wfile.flush()
    handler.wfile.write(b"0\r\n\r\n")
