"""Memento (RFC 7089) answers over the captures of an address (history.captures).

URI-R, the original resource: the address as kept. URI-M, a memento: the snapshot page
`/s/ID/`, which carries Memento-Datetime and a Link header naming its original, TimeGate
and TimeMap (the archived artifacts carry them too). URI-G, the TimeGate:
`/timegate/<address>`, a 302 to the memento closest to Accept-Datetime (the newest without
one). URI-T, the TimeMaps: `/timemap/link/<address>` (application/link-format, RFC 6690)
and `/timemap/json/<address>` (the JSON form of the Memento aggregator's API). The
functions here only format; the views decide who may see what.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime

from django.utils.http import http_date, parse_http_date

from linkhome.archive.models import Snapshot
from linkhome.history.captures import parse_address
from linkhome.links.queries import KEPT_STATUSES

LINK_FORMAT = "application/link-format"


def memento_datetime(snapshot: Snapshot) -> str:
    """The capture time as an HTTP date (RFC 1123, GMT), as Memento-Datetime wants it."""
    return http_date(snapshot.created_at.timestamp())


def iso(snapshot: Snapshot) -> str:
    return snapshot.created_at.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _quote(uri: str) -> str:
    """A URI inside <...> of a Link header: nothing in it may close the bracket."""
    return uri.replace(">", "%3E").replace("<", "%3C").replace(" ", "%20")


def link_value(uri: str, rel: str, **params: str) -> str:
    extra = "".join(f'; {name}="{value}"' for name, value in params.items())
    return f'<{_quote(uri)}>; rel="{rel}"{extra}'


def memento_links(original: str, timegate: str | None, timemap: str | None) -> str:
    """The Link header of a memento: its original, and where its TimeGate and TimeMap are
    (left out where they cannot be reached, as on the archive origin)."""
    values = [link_value(original, "original")]
    if timegate:
        values.append(link_value(timegate, "timegate"))
    if timemap:
        values.append(link_value(timemap, "timemap", type=LINK_FORMAT))
    return ", ".join(values)


def memento_headers(
    snapshot: Snapshot, uri_for: Callable[[str, str], str] | None
) -> dict[str, str]:
    """Memento-Datetime and Link (original, TimeGate, TimeMap) for a memento: a kept
    capture's snapshot page or archived bytes; nothing for a capture not kept.
    `uri_for(view name, address)` makes the TimeGate's and the TimeMap's absolute URIs;
    None where they cannot be reached (the archive origin serves only artifacts)."""
    original = parse_address(snapshot.link.url)
    if snapshot.status not in KEPT_STATUSES or original is None:
        return {}
    timegate = uri_for("timegate", original.url) if uri_for else None
    timemap = uri_for("timemap_link", original.url) if uri_for else None
    return {
        "Memento-Datetime": memento_datetime(snapshot),
        "Link": memento_links(original.url, timegate, timemap),
    }


def timegate_links(
    original: str,
    timemap: str,
    around: dict[str, Snapshot],
    uri_of: Callable[[Snapshot], str],
) -> str:
    """The Link header of a TimeGate's redirect: original, TimeMap, and the first, last,
    previous and next mementos around the chosen one."""
    values = [
        link_value(original, "original"),
        link_value(timemap, "timemap", type=LINK_FORMAT),
    ]
    rels: dict[int, list[str]] = {}
    for rel in ("first", "prev", "next", "last"):
        if rel in around:
            rels.setdefault(around[rel].pk, []).append(rel)
    shown = {s.pk: s for s in around.values()}
    for pk, names in rels.items():
        snapshot = shown[pk]
        rel = " ".join([*names, "memento"])
        values.append(link_value(uri_of(snapshot), rel, datetime=memento_datetime(snapshot)))
    return ", ".join(values)


def timemap_link_format(
    original: str,
    timegate: str,
    self_uri: str,
    found: list[Snapshot],
    uri_of: Callable[[Snapshot], str],
) -> str:
    """A TimeMap in link format: original, self (with from and until), TimeGate, then every
    memento oldest first, the first and last marked so."""
    span = {}
    if found:
        span = {"from": memento_datetime(found[0]), "until": memento_datetime(found[-1])}
    lines = [
        link_value(original, "original"),
        link_value(self_uri, "self", type=LINK_FORMAT, **span),
        link_value(timegate, "timegate"),
    ]
    for index, snapshot in enumerate(found):
        names = (["first"] if index == 0 else []) + (["last"] if index == len(found) - 1 else [])
        rel = " ".join([*names, "memento"])
        lines.append(link_value(uri_of(snapshot), rel, datetime=memento_datetime(snapshot)))
    return ",\n".join(lines) + "\n"


def timemap_json(
    original: str,
    timegate: str,
    timemaps: dict[str, str],
    found: list[Snapshot],
    uri_of: Callable[[Snapshot], str],
) -> dict:
    """A TimeMap as JSON: {"original_uri", "timegate_uri", "timemap_uri": {"link_format",
    "json_format"}, "mementos": {"first", "last", "list": [{"datetime", "uri"}]}}."""
    listed = [{"datetime": iso(s), "uri": uri_of(s)} for s in found]
    mementos: dict[str, object] = {"list": listed}
    if listed:
        mementos = {"first": listed[0], "last": listed[-1], "list": listed}
    return {
        "original_uri": original,
        "timegate_uri": timegate,
        "timemap_uri": timemaps,
        "mementos": mementos,
    }


def parse_accept_datetime(value: str) -> datetime | None:
    """Accept-Datetime (an HTTP date) as a moment, or None when it is not one."""
    try:
        return datetime.fromtimestamp(parse_http_date(value.strip()), UTC)
    except ValueError:
        return None
