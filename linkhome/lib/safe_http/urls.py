"""check_url: is this address something the guarded client may try to fetch?

Syntax is checked before any network activity, and hosts written as IP literals are judged
here already, in every spelling C resolvers accept (2130706433, 0x7f000001, 0177.0.0.1,
127.1): they are rewritten to the dotted form a browser would show, so the address that is
recorded is the address that is fetched. Host names are judged after resolution, at connect
time (see network.py).
"""

from __future__ import annotations

import ipaddress
import re
import socket
import unicodedata
from urllib.parse import SplitResult, unquote, urlsplit, urlunsplit

import httpx

from .addresses import ALLOW_HINT, check_address
from .models import FetchError

MAX_URL_LENGTH = 8192  # what common servers accept in a request line
_VISIBLE_ASCII = re.compile(r"[\x21-\x7e]+")
SCHEMES = ("http", "https")

# Every label a number (decimal, octal or 0x-hex): C's inet_aton reads it as an IPv4 address.
_NUMERIC_HOST = re.compile(r"(0x[0-9a-f]*|[0-9]+)(\.(0x[0-9a-f]*|[0-9]+)){0,3}", re.IGNORECASE)


def check_url(url: str, allow_private: bool) -> str:
    """Validate `url` for fetching and return it normalised; raise FetchError if unfit.

    Codes: "bad_url" (malformed), "bad_scheme" (not http/https), "blocked_address" (an IP
    literal or localhost name that is not public, unless `allow_private`).
    """
    _check_text(url)
    parts = _split(url)
    host, written = _canonical_host(parts)
    rebuilt = urlunsplit((parts.scheme.lower(), _netloc(host, parts.port), *parts[2:4], ""))
    parsed = _parse(rebuilt)
    _check_host(parsed, written, allow_private)
    return str(parsed)


def names_a_host(url: str) -> bool:
    """True when the address's host is surely a DNS name (not an IP literal in any spelling,
    not a loopback name), so check_url would find no address to refuse before resolving.
    Cheap: for screening many addresses (an import); the fetch checks everything again."""
    try:
        parts = urlsplit(url)
        host = (parts.hostname or "").rstrip(".")
    except ValueError:
        return False
    if not host or "[" in parts.netloc or host == "localhost" or host.endswith(".localhost"):
        return False
    last = host.rsplit(".", 1)[-1]
    # inet_aton reads a host as an address only when every label is a number.
    return not last.isdigit() and not re.fullmatch(r"0x[0-9a-f]*", last, re.IGNORECASE)


def _check_text(url: object) -> None:
    if not isinstance(url, str) or not url:
        raise FetchError("bad_url", "The address is empty.")
    if len(url) > MAX_URL_LENGTH:
        raise FetchError("bad_url", f"The address is longer than {MAX_URL_LENGTH} characters.")
    if _VISIBLE_ASCII.fullmatch(url):
        return  # the common case, and a page has dozens of asset URLs: skip the walk
    for position, char in enumerate(url, start=1):
        # Whitespace and invisible characters make an address mean something other than
        # what the person sees (and servers disagree on them), so they are refused outright.
        what = _unwanted_char(char)
        if what:
            message = f"The address contains {what} at position {position}; remove it."
            raise FetchError("bad_url", message)


def _unwanted_char(char: str) -> str | None:
    """How to name `char` if it may not appear in an address, else None."""
    code, category = f"U+{ord(char):04X}", unicodedata.category(char)
    if category == "Cc":
        return f"a control character ({code})"
    if category == "Cf":
        return f"an invisible formatting character ({code})"
    if char.isspace():
        return "a space" if char == " " else f"a space character ({code})"
    return None


def _split(url: str) -> SplitResult:
    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018 - urlsplit checks the port only when asked
    except ValueError as exc:
        if "port" in str(exc).lower():
            raise FetchError("bad_url", "The port must be a number from 1 to 65535.") from None
        raise FetchError("bad_url", f"The address is not valid: {exc}.") from None
    _check_scheme(url, parts.scheme.lower())
    _check_netloc(parts)
    return parts


def _check_scheme(url: str, scheme: str) -> None:
    if not scheme:
        message = f"The address {url!r} has no scheme; it should start with http:// or https://."
        raise FetchError("bad_url", message)
    if scheme not in SCHEMES:
        # "localhost:8000" parses as scheme "localhost"; point at the likely intent.
        hint = f" (did you mean http://{url}?)" if re.match(r"[^:]+:[0-9]", url) else ""
        message = f"Only http:// and https:// addresses can be fetched, not '{scheme}:' ones{hint}."
        raise FetchError("bad_scheme", message)


def _check_netloc(parts: SplitResult) -> None:
    if not parts.hostname:
        raise FetchError("bad_url", "The address has no host name.")
    if "@" in parts.netloc:
        message = "The address contains a user name or password (before '@'); remove it."
        raise FetchError("bad_url", message)
    if "\\" in parts.netloc:
        raise FetchError("bad_url", "The host part of the address contains a backslash.")
    if parts.port == 0:
        raise FetchError("bad_url", "The port must be a number from 1 to 65535.")


def _canonical_host(parts: SplitResult) -> tuple[str, str]:
    """(host for the URL, host as written); numeric IPv4 spellings become dotted quads."""
    written = parts.hostname or ""
    bare = written.rstrip(".")
    if "[" in parts.netloc or not _NUMERIC_HOST.fullmatch(bare):
        return (f"[{written}]" if "[" in parts.netloc else written), written
    try:
        return socket.inet_ntoa(socket.inet_aton(bare)), written
    except OSError:
        raise FetchError("bad_url", f"{written} is not a valid IPv4 address.") from None


def _netloc(host: str, port: int | None) -> str:
    return host if port is None else f"{host}:{port}"


def _parse(url: str) -> httpx.URL:
    try:
        return httpx.URL(url)
    except httpx.InvalidURL as exc:
        raise FetchError("bad_url", f"The address is not valid: {exc}.") from None


def _check_host(url: httpx.URL, written: str, allow_private: bool) -> None:
    host = url.raw_host.decode("ascii")
    ip = _ip_literal(host)
    if ip is not None:
        check_address(written, ip, allow_private, verb="means")
    elif "%" in host:
        raise FetchError("bad_url", f"The host name {host!r} contains '%'.")
    elif _is_localhost_name(host) and not allow_private:
        # RFC 6761: these names are loopback by definition, whatever a resolver says.
        message = f"Refused: {written} is a loopback name ({ALLOW_HINT})"
        raise FetchError("blocked_address", message)


def _ip_literal(host: str) -> str | None:
    bracketed = ":" in host  # only IPv6 literals contain ':' once the port is split off
    try:
        # The only %-escape allowed in a host is an IPv6 zone ("fe80::1%25eth0").
        return str(ipaddress.ip_address(unquote(host) if bracketed else host))
    except ValueError:
        if bracketed:  # bracketed, so it had to be an IPv6 address
            raise FetchError("bad_url", f"[{host}] is not a valid IPv6 address.") from None
        return None


def _is_localhost_name(host: str) -> bool:
    name = host.rstrip(".").lower()
    return name == "localhost" or name.endswith(".localhost")
