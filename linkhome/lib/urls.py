"""URL validation and normalisation for links people submit.

clean_submitted_url is the one door every address goes through (web form, API and CLI all
add links through links.services.add_link, which calls it): what it refuses is never
saved, so nothing fails only later at capture. display_url is the one way out: an address
is shown through it, so a user name or password saved before the door existed never is.
"""

import functools
import importlib
import re
import unicodedata
from dataclasses import dataclass
from urllib.parse import SplitResult, urlsplit, urlunsplit

from url_normalize import url_normalize

# url_normalize spends most of its time on the host (IDNA, label by label), and an import
# of 100,000 bookmarks names the same few thousand hosts again and again: the same host
# always normalizes the same way, so each is worked out once.
_normalizer = importlib.import_module("url_normalize.url_normalize")
_normalizer.normalize_host = functools.lru_cache(maxsize=16384)(_normalizer.normalize_host)  # type: ignore[attr-defined]

MAX_URL_LENGTH = 4096
ALLOWED_SCHEMES = ("http", "https")
# A scheme has no dots, which tells "javascript:alert(1)" from "example.com:8080".
SCHEME_RE = re.compile(r"^[A-Za-z][A-Za-z0-9+-]*:")


# Bidirectional controls make an address read differently from what it is (U+202E turns
# "moc.elgoog//:sptth" around); they are refused by name, as safe_http refuses them at fetch.
BIDI_CONTROLS = frozenset("\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")


def gettext_noop(message: str) -> str:
    """Marks a message for translation. lib may not import Django, so this is a local
    stand-in; it has Django's name so `make messages` extracts the strings it marks."""
    return message


# How much of an address a message repeats: enough to recognise it, never a wall of text.
SHOWN_URL_LENGTH = 120


def shown_url(url: str, keep: int = SHOWN_URL_LENGTH) -> str:
    """`url` for a message: whole when short, else its start and how long it was."""
    if len(url) <= keep:
        return url
    return f"{url[:keep]}… ({len(url):,} characters)"


class InvalidUrl(ValueError):
    """A submitted address that can never be captured; the message says why.

    str() is English; `template` and `params` let an adapter say it in the reader's
    language (links.services.explain)."""

    def __init__(self, template: str, **params: object) -> None:
        super().__init__(template % params if params else template)
        self.template, self.params = template, params


@dataclass(frozen=True)
class SubmittedUrl:
    url: str
    credentials_removed: bool  # a user name or password was cut out; say so to the person


def clean_submitted_url(raw: str) -> SubmittedUrl:
    """Turn what a person pasted into an absolute http(s) URL, or raise InvalidUrl.

    Spaces inside the path, query or fragment are percent-encoded (%20), as browsers do
    with a pasted address; any other whitespace, control or invisible formatting character
    (bidi controls included) is refused, naming the character and its position. A user
    name or password ("user:pass@") is removed, never stored: LinkHome never fetches with
    credentials, and a public link would show them to everyone."""
    text = (raw or "").strip()
    if not text:
        raise InvalidUrl(gettext_noop("the address is empty"))
    if len(text) > MAX_URL_LENGTH:
        message = gettext_noop("the address is longer than %(limit)d characters")
        raise InvalidUrl(message, limit=MAX_URL_LENGTH)
    _check_characters(text)
    if "://" not in text and not _has_scheme(text):
        # People paste "example.com/page"; browsers assume https, so do we.
        text = f"https://{text}"
    parts = _validate(text)
    if "@" not in parts.netloc:
        return SubmittedUrl(_encode_spaces(text, parts), credentials_removed=False)
    parts = parts._replace(netloc=parts.netloc.rpartition("@")[2])
    return SubmittedUrl(_encode_spaces(urlunsplit(parts), parts), credentials_removed=True)


def _check_characters(text: str) -> None:
    for position, char in enumerate(text, start=1):
        if char == " " or char.isascii() and char.isprintable():
            continue  # the common case; a space is judged by where it is, later
        message = _unwanted(char)
        if message:
            raise InvalidUrl(message, code=f"U+{ord(char):04X}", position=position)


def _unwanted(char: str) -> str | None:
    """Why `char` may not be in an address (a message template), or None if it may."""
    category = unicodedata.category(char)
    if char in BIDI_CONTROLS:
        return gettext_noop(
            "the address contains a bidirectional control character (%(code)s at position "
            "%(position)d), which makes it read differently from what it is; remove it"
        )
    if category == "Cc":
        return gettext_noop(
            "the address contains control characters (%(code)s at position %(position)d)"
        )
    if category == "Cf" or char.isspace():
        # Zero-width and other invisible characters, and spaces other than " ": the address
        # would not be the one the person sees, and servers disagree on them.
        return gettext_noop(
            "the address contains an invisible or space character (%(code)s at position "
            "%(position)d); remove it"
        )
    return None


def _encode_spaces(text: str, parts: SplitResult) -> str:
    if " " in parts.netloc:
        raise InvalidUrl(gettext_noop("the host name contains spaces"))
    return text.replace(" ", "%20")


def _has_scheme(text: str) -> bool:
    """True for "javascript:…" or "mailto:…", false for "example.com:8080/" or "localhost:80"."""
    match = SCHEME_RE.match(text)
    return match is not None and not text[match.end() :].split("/", 1)[0].isdigit()


def _validate(text: str) -> SplitResult:
    try:
        parts = urlsplit(text)
        parts.port  # noqa: B018 - raises ValueError on a bad port
    except ValueError as exc:
        raise InvalidUrl(gettext_noop("the address is malformed (%(error)s)"), error=exc) from None
    if parts.scheme.lower() not in ALLOWED_SCHEMES:
        message = gettext_noop("only http and https addresses can be captured, not %(scheme)s:")
        raise InvalidUrl(message, scheme=parts.scheme)
    if not parts.hostname:
        raise InvalidUrl(gettext_noop("the address has no host name"))
    return parts


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


def display_url(url: str) -> str:
    """`url` as it may be shown anywhere: without a user name or password, which links
    saved before clean_submitted_url removed them may still hold."""
    if "@" not in url:
        return url  # the common case, and pages show many addresses
    try:
        parts = urlsplit(url)
    except ValueError:
        return url.rpartition("@")[2]
    if "@" not in parts.netloc:
        return url  # an "@" in the path or query is no credential
    return urlunsplit(parts._replace(netloc=parts.netloc.rpartition("@")[2]))
