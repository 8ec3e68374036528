"""Every capture of one address that a reader may see, across keepers: the Wayback-style
addresses (`/web/<timestamp>/<address>`, `/web/*/<address>`) and Memento's TimeGate and
TimeMaps are built on this.

An address is matched as archives match it: http and https, with and without "www.", and
the spellings `normalize_url` folds (case, default port, escaping, dot segments) are one
address; the query string counts, the fragment does not. A capture is a snapshot that
succeeded or partly succeeded; its time is when it was taken (`created_at`, the time every
page shows), in UTC for timestamps.
"""

from __future__ import annotations

import contextlib
import re
from dataclasses import dataclass
from datetime import UTC, date, datetime
from urllib.parse import urlsplit, urlunsplit

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.utils.timezone import localtime
from warcio.timeutils import timestamp_to_datetime

from linkhome.archive.models import Snapshot
from linkhome.lib.urls import MAX_URL_LENGTH, display_url, normalize_url, site_of
from linkhome.links import queries

# A TimeMap, a calendar or a TimeGate looks at the newest this many captures of an address.
MAX_CAPTURES = 5_000
MAX_TIMESTAMP_DIGITS = 14
_SCHEME = re.compile(r"^(https?):/*", re.I)


@dataclass(frozen=True)
class Address:
    """An original address as asked for, and the spellings it is stored under."""

    url: str  # as shown and linked to: normalized, without credentials
    hosts: tuple[str, ...]  # without www., as Link.host holds it: as typed, or in punycode
    spellings: tuple[str, ...]


def parse_address(raw: str) -> Address | None:
    """The address in a Wayback or Memento path, or None when it is no web address.

    A missing scheme is taken as http (both are looked up anyway); "http:/x" (a proxy that
    merged the slashes) is read as "http://x"."""
    raw = raw.strip()
    if not raw or len(raw) > MAX_URL_LENGTH or any(ord(c) < 32 for c in raw):
        return None
    raw = _SCHEME.sub(lambda m: m[1].lower() + "://", raw) if _SCHEME.match(raw) else raw
    if "://" not in raw:
        raw = "http://" + raw
    try:
        parts = urlsplit(normalize_url(raw))
        host = parts.hostname or ""
    except ValueError:
        return None
    if parts.scheme not in ("http", "https") or not host:
        return None
    bare = host.removeprefix("www.")
    netlocs = {parts.netloc, parts.netloc.replace(host, bare, 1)}
    netlocs |= {n.replace(bare, "www." + bare, 1) for n in netlocs if not n.startswith("www.")}
    spellings = sorted(
        urlunsplit((scheme, netloc, parts.path or "/", parts.query, ""))
        for scheme in ("http", "https")
        for netloc in netlocs
    )
    url = display_url(urlunsplit(parts._replace(fragment="")))
    return Address(url=url, hosts=_host_forms(site_of(url)), spellings=tuple(spellings))


def _host_forms(host: str) -> tuple[str, ...]:
    """The host as normalize_url spells it (punycode) and, for an internationalised name,
    as a person typed it (Link.host keeps the typed form)."""
    forms = {host}
    if "xn--" in host:
        with contextlib.suppress(UnicodeError):  # not valid punycode: the one form
            forms.add(host.encode("ascii").decode("idna"))
    return tuple(sorted(forms))


def captures(viewer: AbstractBaseUser | AnonymousUser | None, address: Address) -> list[Snapshot]:
    """The captures of the address the viewer may see, oldest first (the newest
    MAX_CAPTURES of them)."""
    found = queries.address_captures(viewer, list(address.hosts), list(address.spellings))
    newest = list(found.reverse()[:MAX_CAPTURES])
    newest.reverse()
    return newest


def parse_timestamp(digits: str) -> datetime:
    """A Wayback timestamp of 1 to 14 digits (YYYYMMDDhhmmss, UTC) as a moment. Missing
    digits mean the end of the period named, out-of-range fields are clamped, as in pywb
    (warcio.timeutils): 2014 is the end of 2014, 201410 the end of October 2014."""
    return timestamp_to_datetime(digits[:MAX_TIMESTAMP_DIGITS], tz_aware=True)


def timestamp(moment: datetime) -> str:
    """The 14-digit UTC timestamp of a moment."""
    return moment.astimezone(UTC).strftime("%Y%m%d%H%M%S")


def closest(found: list[Snapshot], moment: datetime) -> Snapshot | None:
    """The capture nearest to `moment` (the earlier one on a tie)."""
    if not found:
        return None
    return min(found, key=lambda s: (abs((s.created_at - moment).total_seconds()), s.created_at))


def neighbours(found: list[Snapshot], chosen: Snapshot) -> dict[str, Snapshot]:
    """first, last, prev and next around `chosen` in `found` (oldest first), as Memento
    names them; prev and next only where they exist."""
    index = next(i for i, s in enumerate(found) if s.pk == chosen.pk)
    out = {"first": found[0], "last": found[-1]}
    if index > 0:
        out["prev"] = found[index - 1]
    if index + 1 < len(found):
        out["next"] = found[index + 1]
    return out


@dataclass(frozen=True)
class Month:
    first_day: date  # for its name, in the reader's language
    captures: list[Snapshot]


@dataclass(frozen=True)
class Year:
    number: int
    months: list[Month]  # all twelve, empty ones included
    count: int


def calendar(found: list[Snapshot]) -> list[Year]:
    """The captures grouped by year (newest year first) and month (January to December),
    in the instance's time zone, as the pages show times."""
    years: dict[int, list[list[Snapshot]]] = {}
    for snapshot in found:
        moment = localtime(snapshot.created_at)
        years.setdefault(moment.year, [[] for _ in range(12)])[moment.month - 1].append(snapshot)
    return [
        Year(
            year,
            [Month(date(year, i + 1, 1), m) for i, m in enumerate(months)],
            sum(map(len, months)),
        )
        for year, months in sorted(years.items(), reverse=True)
    ]
