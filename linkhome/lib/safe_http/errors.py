"""Turn httpcore's exceptions into FetchErrors whose messages a person can act on."""

from __future__ import annotations

import ssl

import httpcore

from .models import FetchError, Limits, human_size
from .network import TLSHandshakeTimeout, deadline_passed

# What h11 says when the status line and headers outgrow httpcore's buffer for them.
H11_HEADERS_TOO_LONG = "Receive buffer too long"
HEADER_LIMIT = httpcore.HTTP11Connection.MAX_INCOMPLETE_EVENT_SIZE


# Everything httpcore raises for a failed request (ConnectionNotAvailable stays internal).
HTTPCORE_ERRORS = (
    httpcore.TimeoutException,
    httpcore.NetworkError,
    httpcore.ProtocolError,
    httpcore.UnsupportedProtocol,
    httpcore.ProxyError,
)


def network_error(exc: Exception, host: str, limits: Limits) -> FetchError:
    """The FetchError for an httpcore failure while talking to `host`."""
    if isinstance(exc, httpcore.TimeoutException):
        return _timeout(exc, host, limits)
    if isinstance(exc, httpcore.ConnectError):
        return _connect_error(exc, host)
    if isinstance(exc, httpcore.NetworkError):
        return FetchError("connect", f"The connection to {host} broke ({_detail(exc)}).")
    if isinstance(exc, httpcore.RemoteProtocolError) and str(exc) == H11_HEADERS_TOO_LONG:
        limit = human_size(HEADER_LIMIT)
        message = f"{host} sent response headers larger than the {limit} limit."
        return FetchError("too_large", message)
    message = f"{host} sent a response that is not valid HTTP ({_detail(exc)})."
    return FetchError("protocol", message)


def deadline_error(limits: Limits) -> FetchError:
    return FetchError("timeout", f"The fetch took longer than its {limits.deadline:g} s limit.")


def too_large_error(limits: Limits, declared: int | None = None) -> FetchError:
    limit = human_size(limits.max_body)
    if declared is None:
        return FetchError("too_large", f"The page is larger than the {limit} limit.")
    return FetchError("too_large", f"The page is {human_size(declared)}, over the {limit} limit.")


def _timeout(exc: Exception, host: str, limits: Limits) -> FetchError:
    if deadline_passed():
        return deadline_error(limits)
    if isinstance(exc, TLSHandshakeTimeout):
        seconds = limits.connect_timeout
        message = (
            f"{host} accepted the connection but did not complete the secure (TLS) handshake"
            f" within {seconds:g} s."
        )
        return FetchError("timeout", message)
    if isinstance(exc, httpcore.ConnectTimeout):
        seconds = limits.connect_timeout
        return FetchError("timeout", f"{host} did not accept a connection within {seconds:g} s.")
    if isinstance(exc, httpcore.PoolTimeout):
        return FetchError("timeout", "No connection became free before the time limit.")
    return FetchError("timeout", f"{host} sent nothing for {limits.read_timeout:g} s.")


def _connect_error(exc: Exception, host: str) -> FetchError:
    cause = exc.__cause__ or exc.__context__
    if isinstance(cause, ssl.SSLCertVerificationError):
        # A certificate problem will not fix itself by retrying in a minute.
        message = f"The TLS certificate of {host} could not be verified ({cause.verify_message})."
        return FetchError("connect", message, transient=False)
    if isinstance(cause, ssl.SSLError) and cause.reason == "WRONG_VERSION_NUMBER":
        message = (
            f"The secure (TLS) connection to {host} failed: the server did not answer in TLS"
            " (it may serve plain http:// on this port)."
        )
        return FetchError("connect", message, transient=False)
    if isinstance(cause, ssl.SSLError) and cause.reason == "UNEXPECTED_EOF_WHILE_READING":
        message = (
            f"The secure (TLS) connection to {host} failed: the server closed the connection"
            " during the handshake."
        )
        return FetchError("connect", message, transient=False)
    if isinstance(cause, ssl.SSLError):
        message = f"The secure (TLS) connection to {host} failed ({_detail(cause)})."
        return FetchError("connect", message, transient=False)
    if isinstance(cause, ConnectionRefusedError):
        return FetchError("connect", f"{host} refused the connection.")
    return FetchError("connect", f"Could not connect to {host} ({_detail(exc)}).")


def _detail(exc: BaseException) -> str:
    return str(exc) or type(exc).__name__
