"""The connection layer of the guard: resolve once, check every address, connect to it.

httpcore hands `connect_tcp` the host name of the URL. GuardedBackend resolves it exactly
once, refuses the whole host if any address is not public, and opens the socket to the
checked IP itself, so no second lookup happens anywhere (DNS rebinding has nothing to
rebind). httpcore keeps the name for the Host header and for TLS (SNI and certificate
verification), because it never learns the IP.

The total deadline of a fetch lives in a context variable set by SafeClient.get: httpcore
passes only per-call timeouts down, and a server that drips one byte per second keeps
every per-call timeout happy forever. DeadlineStream caps each socket operation at the time
left, so the deadline holds during connect, TLS, headers and body alike.
"""

from __future__ import annotations

import math
import socket
import ssl
import time
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

import httpcore

from .addresses import check_address
from .models import FetchError

# (host, port) -> IP addresses as strings; swappable for tests and custom DNS.
Resolver = Callable[[str, int], list[str]]

_deadline: ContextVar[float] = ContextVar("safe_http_deadline", default=math.inf)


@contextmanager
def deadline_scope(seconds: float) -> Iterator[None]:
    """Every socket operation inside the block must end within `seconds` from now.

    A scope inside another keeps the earlier end: the fetches of one capture attempt share
    the attempt's deadline instead of each adding its own."""
    token = _deadline.set(min(_deadline.get(), time.monotonic() + seconds))
    try:
        yield
    finally:
        _deadline.reset(token)


def deadline_passed() -> bool:
    # 1 ms of slack: a socket timeout set to exactly the time left may wake a hair early.
    return time.monotonic() + 0.001 >= _deadline.get()


def _time_left(timeout: float | None, error: type[Exception]) -> float | None:
    """`timeout` capped at the time left before the deadline; raise `error` if none is left."""
    left = _deadline.get() - time.monotonic()
    if left <= 0:
        raise error("the total time limit of the fetch has passed")
    if timeout is None:
        return None if math.isinf(left) else left
    return min(timeout, left)


def system_resolver(host: str, port: int) -> list[str]:
    """All addresses of `host` from the system resolver, in its order, without duplicates."""
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except socket.gaierror as exc:
        temporary = exc.errno == socket.EAI_AGAIN
        message = f"The host name {host} could not be resolved ({exc.strerror})."
        raise FetchError("dns", message, transient=temporary) from None
    except UnicodeError:
        raise FetchError("bad_url", f"The host name {host!r} is not valid.") from None
    return list(dict.fromkeys(str(info[4][0]) for info in infos))


class TLSHandshakeTimeout(httpcore.ConnectTimeout):
    """The server took the TCP connection but never finished the TLS handshake."""


class DeadlineStream(httpcore.NetworkStream):
    """Wraps a socket stream so its reads and writes never outlive the fetch's deadline."""

    def __init__(self, inner: httpcore.NetworkStream) -> None:
        self._inner = inner

    def read(self, max_bytes: int, timeout: float | None = None) -> bytes:
        return self._inner.read(max_bytes, _time_left(timeout, httpcore.ReadTimeout))

    def write(self, buffer: bytes, timeout: float | None = None) -> None:
        self._inner.write(buffer, _time_left(timeout, httpcore.WriteTimeout))

    def close(self) -> None:
        self._inner.close()

    def start_tls(
        self,
        ssl_context: ssl.SSLContext,
        server_hostname: str | None = None,
        timeout: float | None = None,
    ) -> httpcore.NetworkStream:
        limit = _time_left(timeout, httpcore.ConnectTimeout)
        try:
            return DeadlineStream(self._inner.start_tls(ssl_context, server_hostname, limit))
        except httpcore.ConnectTimeout as exc:
            # Not "did not accept a connection": it did, then said nothing in TLS.
            raise TLSHandshakeTimeout(str(exc)) from exc

    def get_extra_info(self, info: str) -> Any:  # noqa: ANN401 - httpcore's own signature
        return self._inner.get_extra_info(info)


class GuardedBackend(httpcore.SyncBackend):
    """httpcore network backend that connects only to resolved-and-checked addresses."""

    def __init__(
        self,
        allow_private: bool,
        resolver: Resolver = system_resolver,
        trusted_hosts: Iterable[str] = (),
    ) -> None:
        self._allow_private = allow_private
        self._resolver = resolver
        self._trusted = frozenset(_name_key(host) for host in trusted_hosts)
        # One answer per host for the client's life: a page with 80 images on a host whose
        # lookup times out must not wait 80 times, and one answer cannot be rebound later.
        self._answers: dict[tuple[str, int], list[str] | FetchError] = {}

    def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: Iterable[httpcore.SOCKET_OPTION] | None = None,
    ) -> httpcore.NetworkStream:
        addresses = self.checked_addresses(host, port)
        return self._connect_first(addresses, port, timeout, local_address, socket_options)

    def checked_addresses(self, host: str, port: int) -> list[str]:
        """Resolve `host` once; refuse it if ANY address is not allowed (no cherry-picking)."""
        addresses = self._resolve_once(host, port)
        if not addresses:
            raise FetchError("dns", f"The host name {host} has no addresses.", transient=False)
        allowed = self._allow_private or _name_key(host) in self._trusted
        for address in addresses:
            check_address(host, address, allowed)
        return addresses

    def _resolve_once(self, host: str, port: int) -> list[str]:
        key = (_name_key(host), port)
        if key not in self._answers:
            try:
                self._answers[key] = self._resolver(host, port)
            except FetchError as exc:
                self._answers[key] = exc
        answer = self._answers[key]
        if isinstance(answer, FetchError):
            raise FetchError(answer.code, answer.message, transient=answer.transient)
        return answer

    def _connect_first(
        self,
        addresses: list[str],
        port: int,
        timeout: float | None,
        local_address: str | None,
        options: Iterable[httpcore.SOCKET_OPTION] | None,
    ) -> httpcore.NetworkStream:
        """Try the checked addresses in order; a refusal moves on, a timeout does not."""
        error: httpcore.ConnectError | None = None
        for address in addresses:
            limit = _time_left(timeout, httpcore.ConnectTimeout)
            try:
                # An IP literal, so socket.create_connection performs no lookup.
                stream = super().connect_tcp(address, port, limit, local_address, options)
            except httpcore.ConnectError as exc:
                error = exc
                continue
            return DeadlineStream(stream)
        raise error or httpcore.ConnectError(f"no address to connect to for port {port}")


def _name_key(host: str) -> str:
    return host.rstrip(".").lower()
