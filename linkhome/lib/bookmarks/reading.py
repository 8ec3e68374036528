"""Which format a file is, from its first bytes, and the reader for it."""

import codecs
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import BinaryIO

from linkhome.lib.bookmarks import jsonfiles, plain, tabular
from linkhome.lib.bookmarks.entry import EmptyFile, Entry, NotBookmarks, Parsed
from linkhome.lib.bookmarks.netscape import read_netscape

HEAD_BYTES = 256 * 1024
UTF8_PROBE_BYTES = 4 * 1024 * 1024
# Files that are surely something else, by their first bytes.
SIGNATURES = {
    b"PK\x03\x04": "a ZIP archive",
    b"%PDF": "a PDF document",
    b"\x89PNG": "a PNG image",
    b"\xff\xd8\xff": "a JPEG image",
    b"GIF8": "a GIF image",
    b"\x1f\x8b": "a gzip file",
    b"SQLite format 3": "an SQLite database",
}
FORMATS = (
    "netscape",
    "pocket-html",
    "pocket-csv",
    "instapaper-csv",
    "raindrop-csv",
    "linkhome-csv",
    "csv",
    "pinboard-json",
    "omnivore-json",
    "wallabag-json",
    "karakeep-json",
    "linkwarden-json",
    "chrome-json",
    "linkhome-json",
    "markdown",
    "text",
)


def read_bookmarks(path: Path) -> Parsed:
    """The format of the file at `path` and its entries; raises EmptyFile or NotBookmarks
    (with the reason in English; the importer words it for the person)."""
    with path.open("rb") as handle:
        head = handle.read(HEAD_BYTES)
    if not head.strip():
        raise EmptyFile("the file is empty")
    for signature, what in SIGNATURES.items():
        if head.startswith(signature):
            raise NotBookmarks(f"the file is {what}, not a bookmark file")
    if b"\x00" in head and not head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        raise NotBookmarks("the file is binary, not a bookmark file")
    encoding = text_encoding(path, head)
    text_head = head.decode(encoding, errors="replace").lstrip("\ufeff")
    kind, read = _choose(path, encoding, text_head)
    return _streamed(path, kind, read)


class _Stream:
    """The file handle a reader walks, to tell how far it got."""

    def __init__(self, path: Path) -> None:
        self.path, self.size = path, max(1, path.stat().st_size)
        self.raw: BinaryIO | None = None
        self.done = False

    def fraction(self) -> float:
        if self.done:
            return 1.0
        if self.raw is None:
            return 0.0
        try:
            return min(1.0, self.raw.tell() / self.size)
        except (ValueError, OSError):  # closed
            return 1.0


def _streamed(path: Path, kind: str, read: Callable[[BinaryIO], Iterator[Entry]]) -> Parsed:
    stream = _Stream(path)

    def entries() -> Iterator[Entry]:
        with path.open("rb") as raw:
            stream.raw = raw
            yield from read(raw)
        stream.done = True

    return Parsed(kind, entries(), stream.fraction)


def text_encoding(path: Path, head: bytes) -> str:
    """UTF-8 (with or without BOM), UTF-16 by its BOM, else GB18030: the Chinese browsers'
    older exports are GBK, and GB18030 reads every GBK file."""
    if head.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    decoder = codecs.getincrementaldecoder("utf-8")()
    with path.open("rb") as handle:
        try:
            decoder.decode(handle.read(UTF8_PROBE_BYTES), final=False)
        except UnicodeDecodeError:
            return "gb18030"
    return "utf-8"


Reader = Callable[[BinaryIO], Iterator[Entry]]


def _choose(path: Path, encoding: str, head: str) -> tuple[str, Reader]:
    start = head.lstrip()[:1]
    lowered = head[:65536].lower()
    if start in ("{", "["):
        return _json(path, encoding)
    if start == "<":
        if "<a" not in lowered and "<dl" not in lowered:
            raise NotBookmarks("the HTML file has no links in it")
        kind = "pocket-html" if "pocket export" in lowered else "netscape"
        return kind, lambda raw: read_netscape(raw, encoding)
    first_line = head.splitlines()[0] if head.splitlines() else ""
    table = tabular.csv_format(tabular.header_of(first_line))
    if table and "," in first_line:
        return table, lambda raw: tabular.read_csv(raw, encoding, table)
    if "http://" in lowered or "https://" in lowered:
        if plain.looks_like_markdown(head):
            return "markdown", lambda raw: plain.read_markdown(raw, encoding)
        return "text", lambda raw: plain.read_plain(raw, encoding)
    raise NotBookmarks("the file has no web addresses in a format LinkHome reads")


def _json(path: Path, encoding: str) -> tuple[str, Reader]:
    with path.open(encoding=encoding, errors="replace") as handle:
        kind = jsonfiles.json_format(handle.read(HEAD_BYTES))
    if kind is None:
        # The head may end inside the first item: decide on the whole text then.
        kind = jsonfiles.json_format(_text(path, encoding))
    if kind is None:
        raise NotBookmarks("the JSON file is not a bookmark export LinkHome reads")
    reader = jsonfiles.READERS[kind]
    return kind, lambda raw: _guarded(reader(_text(path, encoding, raw)))


def _text(path: Path, encoding: str, raw: BinaryIO | None = None) -> str:
    data = raw.read() if raw is not None else path.read_bytes()
    return data.decode(encoding, errors="replace").lstrip("\ufeff")


def _guarded(entries: Iterator[Entry]) -> Iterator[Entry]:
    """A JSON file cut short or broken midway: what came before is kept, the rest is one
    refused entry saying where it broke."""
    try:
        yield from entries
    except (ValueError, RecursionError) as exc:
        yield Entry(url="", problem=f"the JSON file is broken here: {exc}")
