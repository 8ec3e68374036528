"""JSON exports: Pinboard, Omnivore, wallabag, Linkwarden's backup, Karakeep's export,
Chrome's `Bookmarks` file and LinkHome's own.

The text is walked one array item at a time with the standard decoder's raw_decode, so a
100,000-bookmark file never becomes 100,000 dictionaries at once; only the item at hand is
decoded. Chrome's file is a tree and is decoded whole (browsers keep it small).
"""

import json
from collections.abc import Callable, Iterator
from typing import Any

from linkhome.lib.bookmarks.dates import from_any, from_iso, from_webkit
from linkhome.lib.bookmarks.entry import MAX_TITLE_LENGTH, Entry, tidy_note, tidy_tags, tidy_text

WHITESPACE = " \t\n\r"
DECODER = json.JSONDecoder()
CHROME_ROOTS = ("bookmark_bar", "other", "synced")
LINKWARDEN_DEFAULT = "unorganized"


class Cursor:
    """A position in the JSON text, counting lines as it moves (for the report)."""

    def __init__(self, text: str) -> None:
        self.text, self.pos, self.line, self._counted = text, 0, 1, 0

    def skip(self) -> str:
        """Move past whitespace; the next character ('' at the end)."""
        text, pos = self.text, self.pos
        while pos < len(text) and text[pos] in WHITESPACE:
            pos += 1
        self.pos = pos
        return text[pos] if pos < len(text) else ""

    def expect(self, char: str) -> None:
        if self.skip() != char:
            raise ValueError(f"expected {char!r} at character {self.pos}")
        self.pos += 1

    def value(self) -> Any:  # noqa: ANN401 - JSON is any value
        self.skip()
        value, self.pos = DECODER.raw_decode(self.text, self.pos)
        return value

    def line_here(self) -> int:
        self.line += self.text.count("\n", self._counted, self.pos)
        self._counted = self.pos
        return self.line


def items(cursor: Cursor) -> Iterator[tuple[Any, int]]:
    """Each item of the array that starts at the cursor, with the line it starts on."""
    cursor.expect("[")
    if cursor.skip() == "]":
        cursor.pos += 1
        return
    while True:
        cursor.skip()
        line = cursor.line_here()
        yield cursor.value(), line
        following = cursor.skip()
        cursor.pos += 1
        if following == "]":
            return
        if following != ",":
            raise ValueError(f"expected ',' or ']' at character {cursor.pos - 1}")


def members(cursor: Cursor) -> Iterator[str]:
    """The keys of the object at the cursor; after each, the caller reads or skips its value
    (cursor.value() or items(cursor))."""
    cursor.expect("{")
    if cursor.skip() == "}":
        cursor.pos += 1
        return
    while True:
        key = cursor.value()
        cursor.expect(":")
        before = cursor.pos
        yield str(key)
        if cursor.pos == before:  # the caller did not read the value: skip it
            cursor.value()
        following = cursor.skip()
        cursor.pos += 1
        if following == "}":
            return
        if following != ",":
            raise ValueError(f"expected ',' or '}}' at character {cursor.pos - 1}")


def array_under(text: str, key: str | None) -> Iterator[tuple[Any, int]]:
    """The items of the top-level array, or of the array under `key` of the top object."""
    cursor = Cursor(text)
    if key is None:
        yield from items(cursor)
        return
    for name in members(cursor):
        if name == key:
            yield from items(cursor)


def _text(value: object) -> str:
    return value if isinstance(value, str) else ""


def _names(value: object) -> list[str]:
    """Tags as lists of names or of {"name": …} objects."""
    if not isinstance(value, list):
        return []
    return [
        str(item.get("name", "")) if isinstance(item, dict) else str(item)
        for item in value
        if item is not None
    ]


def _entry(url: object, line: int, **fields: Any) -> Entry:  # noqa: ANN401 - Entry's fields
    address = url.strip() if isinstance(url, str) else ""
    problem = "" if address else "no address in this entry"
    return Entry(url=address, line=line, problem=problem, **fields)


def _not_an_object(line: int) -> Entry:
    return Entry(url="", line=line, problem="this entry is not an object")


def _each_object(
    text: str, key: str | None, entry: Callable[[dict[str, Any], int], Entry]
) -> Iterator[Entry]:
    """The entries of the array at `key` (the top-level array for None), each object read
    by `entry`; anything else in the array is an entry refused as not an object."""
    for item, line in array_under(text, key):
        yield entry(item, line) if isinstance(item, dict) else _not_an_object(line)


def pinboard(text: str) -> Iterator[Entry]:
    return _each_object(text, None, _pinboard_entry)


def _pinboard_entry(item: dict[str, Any], line: int) -> Entry:
    shared = _text(item.get("shared")).lower()
    return _entry(
        item.get("href"),
        line,
        title=tidy_text(item.get("description"), MAX_TITLE_LENGTH),
        note=tidy_note(item.get("extended")),
        tags=tidy_tags(_text(item.get("tags")).split()),
        saved_at=from_iso(item.get("time")),
        private={"no": True, "yes": False}.get(shared),
    )


def omnivore(text: str) -> Iterator[Entry]:
    return _each_object(text, None, _omnivore_entry)


def _omnivore_entry(item: dict[str, Any], line: int) -> Entry:
    return _entry(
        item.get("url"),
        line,
        title=tidy_text(item.get("title"), MAX_TITLE_LENGTH),
        tags=tidy_tags(_names(item.get("labels"))),
        saved_at=from_iso(item.get("savedAt")) or from_iso(item.get("updatedAt")),
    )


def wallabag(text: str) -> Iterator[Entry]:
    return _each_object(text, None, _wallabag_entry)


def _wallabag_entry(item: dict[str, Any], line: int) -> Entry:
    return _entry(
        item.get("url"),
        line,
        title=tidy_text(item.get("title"), MAX_TITLE_LENGTH),
        tags=tidy_tags(_names(item.get("tags"))),
        saved_at=from_any(item.get("created_at")),
    )


def karakeep(text: str) -> Iterator[Entry]:
    return _each_object(text, "bookmarks", _karakeep_entry)


def _karakeep_entry(item: dict[str, Any], line: int) -> Entry:
    content = item.get("content")
    if not isinstance(content, dict) or content.get("type") != "link":
        kind = content.get("type") if isinstance(content, dict) else "empty"
        return Entry(url="", line=line, problem=f"a {kind} bookmark, not a link")
    return _entry(
        content.get("url"),
        line,
        title=tidy_text(item.get("title"), MAX_TITLE_LENGTH),
        note=tidy_note(item.get("note")),
        tags=tidy_tags(_names(item.get("tags"))),
        saved_at=from_any(item.get("createdAt")),
    )


def linkwarden(text: str) -> Iterator[Entry]:
    # A collection's tag is its path of names; parents may come after their children, so the
    # names are read in a first pass that keeps nothing else.
    parents: dict[object, tuple[str, object]] = {}
    for collection, _ in array_under(text, "collections"):
        if isinstance(collection, dict):
            parents[collection.get("id")] = (
                _text(collection.get("name")),
                collection.get("parentId"),
            )
    for collection, line in array_under(text, "collections"):
        if not isinstance(collection, dict):
            yield _not_an_object(line)
            continue
        path = _collection_path(parents, collection.get("id"))
        for link in collection.get("links") or []:
            if not isinstance(link, dict):
                yield _not_an_object(line)
                continue
            yield _entry(
                link.get("url"),
                line,
                title=tidy_text(link.get("name"), MAX_TITLE_LENGTH),
                note=tidy_note(link.get("description")),
                tags=tidy_tags([*path, *_names(link.get("tags"))]),
                saved_at=from_iso(link.get("createdAt")),
            )


def _collection_path(parents: dict[object, tuple[str, object]], key: object) -> list[str]:
    path: list[str] = []
    seen: set[object] = set()
    while key in parents and key not in seen:
        seen.add(key)
        name, key = parents[key]
        if name.strip().lower() != LINKWARDEN_DEFAULT:
            path.insert(0, name)
    return path


def chrome(text: str) -> Iterator[Entry]:
    document = json.loads(text)
    roots = document.get("roots") if isinstance(document, dict) else None
    if not isinstance(roots, dict):
        return
    for name in CHROME_ROOTS:
        root = roots.get(name)
        if isinstance(root, dict):
            # The roots themselves (bookmarks bar, other, mobile) are no one's folder.
            yield from _chrome_children(root, [])


def _chrome_children(node: dict[str, Any], path: list[str]) -> Iterator[Entry]:
    for child in node.get("children") or []:
        if not isinstance(child, dict):
            continue
        if child.get("type") == "folder":
            yield from _chrome_children(child, [*path, _text(child.get("name"))])
        elif child.get("type") == "url":
            yield _entry(
                child.get("url"),
                0,
                title=tidy_text(child.get("name"), MAX_TITLE_LENGTH),
                tags=tidy_tags(path),
                saved_at=from_webkit(child.get("date_added")),
            )


def linkhome(text: str) -> Iterator[Entry]:
    return _each_object(text, "links", _linkhome_entry)


def _linkhome_entry(item: dict[str, Any], line: int) -> Entry:
    visibility = _text(item.get("visibility"))
    return _entry(
        item.get("url"),
        line,
        title=tidy_text(item.get("title"), MAX_TITLE_LENGTH),
        note=tidy_note(item.get("note")),
        tags=tidy_tags(_names(item.get("tags"))),
        saved_at=from_any(item.get("saved_at")),
        private={"private": True, "public": False}.get(visibility),
    )


READERS = {
    "pinboard-json": pinboard,
    "omnivore-json": omnivore,
    "wallabag-json": wallabag,
    "karakeep-json": karakeep,
    "linkwarden-json": linkwarden,
    "chrome-json": chrome,
    "linkhome-json": linkhome,
}


def json_format(text: str) -> str | None:
    """Which JSON export this is, from the top object's keys or the first item's."""
    cursor = Cursor(text)
    try:
        start = cursor.skip()
        if start == "{":
            keys = set()
            for key in members(cursor):
                keys.add(key)
                if key == "roots":
                    return "chrome-json"
                if key == "collections":
                    return "linkwarden-json"
                if key == "bookmarks":
                    return "karakeep-json"
                if key == "links" and "linkhome" in keys:
                    return "linkhome-json"
            return None
        if start == "[":
            first = next(items(cursor), (None, 0))[0]
            return _array_format(first)
    except (ValueError, RecursionError):
        return None
    return None


def _array_format(first: object) -> str | None:
    if not isinstance(first, dict):
        return None
    keys = set(first)
    if "href" in keys and ({"hash", "description", "extended", "shared"} & keys):
        return "pinboard-json"
    if "url" in keys and ({"savedAt", "slug", "labels"} & keys):
        return "omnivore-json"
    if "url" in keys and ({"is_archived", "is_starred", "domain_name", "reading_time"} & keys):
        return "wallabag-json"
    return None
