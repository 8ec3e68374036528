"""CSV exports, read row by row: Pocket, Instapaper, Raindrop, LinkHome's own, and any CSV
with an address column. Which one is told by the header row."""

import csv
import io
import json
from collections.abc import Callable, Iterator
from typing import BinaryIO

from linkhome.lib.bookmarks.dates import from_any, from_epoch, from_iso
from linkhome.lib.bookmarks.entry import MAX_TITLE_LENGTH, Entry, tidy_note, tidy_tags, tidy_text

# A note may be long; the csv module's default field limit (128 KiB) would stop the file.
csv.field_size_limit(64 * 1024 * 1024)

Row = dict[str, str]
URL_COLUMNS = ("url", "href", "link", "address", "uri")
# Instapaper's folders that every article is in; other folder names are the person's own.
INSTAPAPER_BUILTIN = frozenset({"unread", "archive", "starred"})
RAINDROP_BUILTIN = frozenset({"unsorted"})


def header_of(first_line: str) -> list[str]:
    try:
        row = next(csv.reader([first_line]))
    except (csv.Error, StopIteration):
        return []
    return [cell.strip().lower() for cell in row]


def csv_format(header: list[str]) -> str | None:
    """Which CSV this header row starts, or None if it has no address column."""
    columns = set(header)
    if {"title", "url", "time_added"} <= columns:
        return "pocket-csv"
    if {"url", "title", "selection", "folder"} <= columns:
        return "instapaper-csv"
    if {"url", "folder", "tags", "created", "excerpt"} <= columns:
        return "raindrop-csv"
    if {"url", "saved_at", "visibility", "tags"} <= columns:
        return "linkhome-csv"
    if columns & set(URL_COLUMNS):
        return "csv"
    return None


def _split(text: str, separator: str) -> list[str]:
    return [part for part in (text or "").split(separator)]


def pocket(row: Row) -> Entry:
    # Tags are separated by "|"; time_added is Unix seconds.
    return Entry(
        url=row.get("url", ""),
        title=tidy_text(row.get("title"), MAX_TITLE_LENGTH),
        tags=tidy_tags(_split(row.get("tags", ""), "|")),
        saved_at=from_epoch(row.get("time_added")),
    )


def instapaper(row: Row) -> Entry:
    folder = (row.get("folder") or "").strip()
    tags = [] if folder.lower() in INSTAPAPER_BUILTIN else folder.split("/")
    raw_tags = (row.get("tags") or "").strip()
    if raw_tags.startswith("["):  # newer exports: a JSON list
        try:
            listed = json.loads(raw_tags)
            tags += [str(tag) for tag in listed] if isinstance(listed, list) else []
        except ValueError:
            tags += raw_tags.strip("[]").split(",")
    elif raw_tags:
        tags += raw_tags.split(",")
    return Entry(
        url=row.get("url", ""),
        title=tidy_text(row.get("title"), MAX_TITLE_LENGTH),
        note=tidy_note(row.get("selection")),
        tags=tidy_tags(tags),
        saved_at=from_epoch(row.get("timestamp")),
    )


def raindrop(row: Row) -> Entry:
    folder = (row.get("folder") or "").strip()
    tags = [] if folder.lower() in RAINDROP_BUILTIN else folder.split("/")
    tags += _split(row.get("tags", ""), ",")
    return Entry(
        url=row.get("url", ""),
        title=tidy_text(row.get("title"), MAX_TITLE_LENGTH),
        note=tidy_note(row.get("note")),
        tags=tidy_tags(tags),
        saved_at=from_iso(row.get("created")) or from_any(row.get("created")),
    )


def linkhome(row: Row) -> Entry:
    # LinkHome's own export (links.bookmark_exports): tags separated by commas are not
    # possible (a tag holds none), so "," separates them.
    visibility = (row.get("visibility") or "").strip().lower()
    return Entry(
        url=row.get("url", ""),
        title=tidy_text(row.get("title"), MAX_TITLE_LENGTH),
        note=tidy_note(row.get("note")),
        tags=tidy_tags(_split(row.get("tags", ""), ",")),
        saved_at=from_any(row.get("saved_at")),
        private={"private": True, "public": False}.get(visibility),
    )


def generic(row: Row) -> Entry:
    url = next((row[name] for name in URL_COLUMNS if row.get(name)), "")
    title = row.get("title") or row.get("name") or ""
    note = row.get("note") or row.get("notes") or row.get("description") or ""
    tags = row.get("tags") or row.get("tag") or ""
    separator = "|" if "|" in tags else ","
    date = next(
        (
            row[name]
            for name in ("created", "created_at", "date", "added", "saved_at")
            if row.get(name)
        ),
        None,
    )
    return Entry(
        url=url,
        title=tidy_text(title, MAX_TITLE_LENGTH),
        note=tidy_note(note),
        tags=tidy_tags(tags.split(separator)),
        saved_at=from_any(date),
    )


READERS: dict[str, Callable[[Row], Entry]] = {
    "pocket-csv": pocket,
    "instapaper-csv": instapaper,
    "raindrop-csv": raindrop,
    "linkhome-csv": linkhome,
    "csv": generic,
}


def read_csv(raw: BinaryIO, encoding: str, kind: str) -> Iterator[Entry]:
    make = READERS[kind]
    with io.TextIOWrapper(raw, encoding=encoding, errors="replace", newline="") as text:
        reader = csv.reader(text)
        header = [cell.strip().lower() for cell in next(reader, [])]
        start = reader.line_num + 1
        while True:
            try:
                row = next(reader)
            except StopIteration:
                return
            except csv.Error as exc:
                yield Entry(url="", line=start, problem=f"malformed CSV row: {exc}")
                start = reader.line_num + 1
                continue
            if not any(cell.strip() for cell in row):
                start = reader.line_num + 1
                continue
            entry = make(dict(zip(header, row, strict=False)))
            entry.line = start
            if not entry.url.strip():
                entry.problem = "no address in this row"
            start = reader.line_num + 1
            yield entry
