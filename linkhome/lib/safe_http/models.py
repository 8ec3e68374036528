"""Value types of the guarded HTTP client: limits in, exchanges out, one error type."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

# Failures worth retrying later: the network or the far end may recover.
TRANSIENT_CODES = frozenset({"timeout", "connect", "dns"})


@dataclass(frozen=True)
class Limits:
    """Hard limits of one fetch; callers build it from settings (this module reads none)."""

    connect_timeout: float = 10.0
    read_timeout: float = 20.0
    deadline: float = 60.0  # total wall time for the whole fetch, redirects included
    max_body: int = 50 * 1024 * 1024  # bytes after content-decoding; also caps raw bytes
    max_redirects: int = 10
    allow_private: bool = False  # LINKHOME_ALLOW_PRIVATE_NETWORKS
    user_agent: str = "LinkHome/0.1 (+https://github.com/linkhome)"


@dataclass
class Exchange:
    """One HTTP request/response pair, with everything a WARC record needs."""

    url: str
    method: str
    request_headers: list[tuple[str, str]]  # as sent, Host included
    http_version: str  # "HTTP/1.1"
    status: int
    reason: str
    response_headers: list[tuple[str, str]]  # as received: order, case, duplicates kept
    raw_body: bytes  # as on the wire: Content-Encoding applied, transfer-encoding removed
    body: bytes  # content-decoded
    peer_ip: str
    started_at: datetime  # UTC

    def header(self, name: str) -> str | None:
        """The first response header called `name` (any case), or None."""
        wanted = name.lower()
        return next((v for k, v in self.response_headers if k.lower() == wanted), None)

    @property
    def content_type(self) -> str:
        """The MIME type, lowercased and without parameters ("" when absent)."""
        return (self.header("content-type") or "").split(";", 1)[0].strip().lower()

    @property
    def charset(self) -> str | None:
        """The charset parameter of Content-Type, lowercased, or None."""
        for param in (self.header("content-type") or "").split(";")[1:]:
            key, _, value = param.partition("=")
            if key.strip().lower() == "charset":
                return value.strip().strip("\"'").lower() or None
        return None


@dataclass
class FetchResult:
    """The redirect chain of one fetch, in order; the last exchange is the final response."""

    exchanges: list[Exchange]

    @property
    def final(self) -> Exchange:
        return self.exchanges[-1]

    @property
    def final_url(self) -> str:
        return self.final.url


class FetchError(Exception):
    """The only exception SafeClient raises; `message` is meant for the person who asked."""

    def __init__(
        self,
        code: str,
        message: str,
        *,
        transient: bool | None = None,
        exchanges: list[Exchange] | None = None,
    ) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.transient = code in TRANSIENT_CODES if transient is None else transient
        self.exchanges: list[Exchange] = list(exchanges or [])

    def __reduce__(self) -> tuple:  # task queues pickle failures; keyword arguments need this
        return _rebuild_error, (self.code, self.message, self.transient, self.exchanges)

    def __repr__(self) -> str:
        return f"FetchError({self.code!r}, {self.message!r})"


def _rebuild_error(
    code: str, message: str, transient: bool, exchanges: list[Exchange]
) -> FetchError:
    return FetchError(code, message, transient=transient, exchanges=exchanges)


def human_size(size: int) -> str:
    """A byte count for messages: "50 MB", "512 KB", "12 bytes"."""
    for unit, scale in (("GB", 1 << 30), ("MB", 1 << 20), ("KB", 1 << 10)):
        if size >= scale:
            return f"{size / scale:g} {unit}"
    return f"{size} bytes"


__all__ = ["Exchange", "FetchError", "FetchResult", "Limits", "human_size"]
