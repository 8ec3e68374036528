"""Bookmark exports of a person's own links: Netscape HTML (what browsers and bookmarking
services import), JSON with everything (links, tags, notes, visibility, dates, each
snapshot's metadata and its artifacts with their sha256), and CSV.

An export holds the exporter's own links only, private ones included (their own data); with
tags, only links having every one of them. Nobody else's link, public or not, gets in. Each
format is a generator of text pieces: links are read a thousand at a time, so a 100,000-link
export starts at once and holds the memory of one chunk. The importer reads all three back
(lib.bookmarks): export, then import into a fresh instance, gives the same links, tags,
notes, visibility and saved dates.
"""

import csv
import io
import json
from collections.abc import Iterable, Iterator
from datetime import datetime

from django.contrib.auth.models import User
from django.db.models import Prefetch, QuerySet
from django.utils import timezone

from linkhome.archive.models import Artifact, Snapshot
from linkhome.lib.bookmarks import Entry, netscape_document
from linkhome.lib.urls import display_url
from linkhome.links.models import Link, Visibility

FORMATS = ("netscape", "json", "csv")
CHUNK = 1000
CONTENT_TYPES = {
    "netscape": "text/html; charset=utf-8",
    "json": "application/json",
    "csv": "text/csv; charset=utf-8",
}
EXTENSIONS = {"netscape": "html", "json": "json", "csv": "csv"}
CSV_COLUMNS = ("url", "title", "note", "tags", "visibility", "saved_at")
JSON_VERSION = 1


class ExportError(ValueError):
    pass


def links_to_export(owner: User, tags: Iterable[str] = ()) -> QuerySet[Link]:
    """The owner's links (private ones too), oldest first, having every tag in `tags`."""
    links = Link.objects.filter(owner=owner)
    for name in tags:
        links = links.filter(tags__name=name)
    return links.order_by("created_at", "pk")


def file_name(kind: str, when: datetime | None = None) -> str:
    stamp = timezone.localtime(when or timezone.now()).strftime("%Y%m%d-%H%M%S")
    return f"linkhome-bookmarks-{stamp}.{EXTENSIONS[kind]}"


def export(owner: User, kind: str, tags: Iterable[str] = ()) -> Iterator[str]:
    if kind not in FORMATS:
        raise ExportError(f"format must be one of {', '.join(FORMATS)}")
    links = links_to_export(owner, list(tags))
    if kind == "netscape":
        return netscape_document(_entries(links))
    if kind == "csv":
        return _csv(links)
    return _json(links)


def _chunks(links: QuerySet[Link], *prefetch: str | Prefetch) -> Iterator[Link]:
    # iterator() with prefetch_related prefetches per chunk: memory stays flat.
    return links.prefetch_related("tags", *prefetch).iterator(chunk_size=CHUNK)


def _tag_names(link: Link) -> list[str]:
    return sorted(tag.name for tag in link.tags.all())


def _entries(links: QuerySet[Link]) -> Iterator[Entry]:
    for link in _chunks(links):
        yield Entry(
            url=display_url(link.url),
            title=link.title,
            note=link.note,
            tags=tuple(_tag_names(link)),
            saved_at=link.created_at,
            private=link.visibility == Visibility.PRIVATE,
        )


def _csv(links: QuerySet[Link]) -> Iterator[str]:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(CSV_COLUMNS)
    for count, link in enumerate(_chunks(links), start=1):
        writer.writerow(
            [
                display_url(link.url),
                link.title,
                link.note,
                ",".join(_tag_names(link)),
                link.visibility,
                link.created_at.isoformat(),
            ]
        )
        if count % 200 == 0:
            yield buffer.getvalue()
            buffer.seek(0)
            buffer.truncate()
    yield buffer.getvalue()


def _json(links: QuerySet[Link]) -> Iterator[str]:
    snapshots = Prefetch(
        "snapshots",
        queryset=Snapshot.objects.defer("text", "description")
        .order_by("created_at", "pk")
        .prefetch_related(Prefetch("artifacts", queryset=Artifact.objects.order_by("pk"))),
    )
    header = {"version": JSON_VERSION, "exported_at": timezone.now().isoformat()}
    yield '{"linkhome": ' + json.dumps(header) + ',\n"links": [\n'
    first = True
    for link in _chunks(links, snapshots):
        yield ("" if first else ",\n") + json.dumps(_link_json(link), ensure_ascii=False)
        first = False
    yield "\n]}\n"


def _when(moment: object) -> str | None:
    return moment.isoformat() if moment is not None else None  # type: ignore[attr-defined]


def _link_json(link: Link) -> dict[str, object]:
    return {
        "url": display_url(link.url),
        "title": link.title,
        "note": link.note,
        "tags": _tag_names(link),
        "visibility": link.visibility,
        "saved_at": link.created_at.isoformat(),
        "snapshots": [
            {
                "id": snapshot.pk,
                "status": snapshot.status,
                "captured_at": _when(snapshot.created_at),
                "finished_at": _when(snapshot.finished_at),
                "http_status": snapshot.http_status,
                "final_url": display_url(snapshot.final_url),
                "content_type": snapshot.content_type,
                "charset": snapshot.charset,
                "title": snapshot.title,
                "author": snapshot.author,
                "published": _when(snapshot.published),
                "site_name": snapshot.site_name,
                "language": snapshot.language,
                "error": snapshot.error,
                "artifacts": [
                    {
                        "kind": artifact.kind,
                        "status": artifact.status,
                        "size": artifact.size,
                        "sha256": artifact.sha256,
                        "mime": artifact.mime,
                    }
                    for artifact in snapshot.artifacts.all()
                ],
            }
            for snapshot in link.snapshots.all()
        ],
    }
