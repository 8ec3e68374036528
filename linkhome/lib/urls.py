"""URL validation and normalisation for links people submit."""

import re
from urllib.parse import urlsplit, urlunsplit

from url_normalize import url_normalize

MAX_URL_LENGTH = 4096
ALLOWED_SCHEMES = ("http", "https")
# A scheme has no dots, which tells "javascript:alert(1)" from "example.com:8080".
SCHEME_RE = re.compile(r"^[A-Za-z][A-Za-z0-9+-]*:")


# How much of an address a message repeats: enough to recognise it, never a wall of text.
SHOWN_URL_LENGTH = 120


def shown_url(url: str, keep: int = SHOWN_URL_LENGTH) -> str:
    """`url` for a message: whole when short, else its start and how long it was."""
    if len(url) <= keep:
        return url
    return f"{url[:keep]}… ({len(url):,} characters)"


class InvalidUrl(ValueError):
    """A submitted address that can never be captured; the message says why."""


def clean_submitted_url(raw: str) -> str:
    """Turn what a person pasted into an absolute http(s) URL, or raise InvalidUrl."""
    text = (raw or "").strip()
    if not text:
        raise InvalidUrl("the address is empty")
    if len(text) > MAX_URL_LENGTH:
        raise InvalidUrl(f"the address is longer than {MAX_URL_LENGTH} characters")
    if any(ord(ch) < 32 or ord(ch) == 127 for ch in text):
        raise InvalidUrl("the address contains control characters")
    if "://" not in text and not _has_scheme(text):
        # People paste "example.com/page"; browsers assume https, so do we.
        text = f"https://{text}"
    return _validate(text)


def _has_scheme(text: str) -> bool:
    """True for "javascript:…" or "mailto:…", false for "example.com:8080/" or "localhost:80"."""
    match = SCHEME_RE.match(text)
    return bool(match) and not text[match.end() :].split("/", 1)[0].isdigit()


def _validate(text: str) -> str:
    try:
        parts = urlsplit(text)
        parts.port  # noqa: B018 - raises ValueError on a bad port
    except ValueError as exc:
        raise InvalidUrl(f"the address is malformed ({exc})") from None
    if parts.scheme.lower() not in ALLOWED_SCHEMES:
        raise InvalidUrl(f"only http and https addresses can be captured, not {parts.scheme}:")
    if not parts.hostname:
        raise InvalidUrl("the address has no host name")
    if " " in parts.netloc:
        raise InvalidUrl("the host name contains spaces")
    return text


def normalize_url(url: str) -> str:
    """The identity of a page for "one link per owner": case, default ports, dot segments
    and escaping are folded; the fragment is dropped because it names a place in the page,
    not another page."""
    try:
        normalized = url_normalize(url) or url
    except Exception:
        # url_normalize fails on some hostile inputs (bad IDNA); identity is then the text.
        normalized = url
    parts = urlsplit(normalized)
    return urlunsplit((parts.scheme, parts.netloc, parts.path or "/", parts.query, ""))


def site_of(url: str) -> str:
    host = urlsplit(url).hostname or ""
    return host.removeprefix("www.")
