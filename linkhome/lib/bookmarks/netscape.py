"""Netscape bookmark HTML (Chrome, Edge, Firefox, Safari, 360, QQ, Sogou, linkding,
Linkwarden, Karakeep, Pinboard, Shaarli) and Pocket's older HTML export.

Read with Python's own HTML tokenizer (html.parser), fed the file a megabyte at a time:
this format is tag soup by design (`<DT>` and `<p>` never closed, `</DL>` sometimes
missing, `</A>` missing in some Chinese browsers' files), and a tree builder is the wrong
tool for it. libxml2 (lxml) nests every unclosed `<DT>` inside the one before and stops at
a depth of 256: a folder of 300 bookmarks lost all but its first 250. The tokenizer keeps
no tree; this reader follows only `<DL>` (a folder's list opens and closes), `<H3>` (a
folder's name, which names the next `<DL>`), `<A>` (a bookmark: its title ends at `</A>` or
at the next block) and `<DD>` (the note of the bookmark before it). Entities are decoded,
in text and attributes.

Folders become tags, each folder on the path one tag, except the browsers' own top folders
(bookmarks bar, other bookmarks, mobile bookmarks), which every bookmark would share.
"""

import io
from collections.abc import Iterator
from html.parser import HTMLParser
from typing import BinaryIO

from linkhome.lib.bookmarks.dates import from_epoch
from linkhome.lib.bookmarks.entry import (
    MAX_TITLE_LENGTH,
    Entry,
    tidy_note,
    tidy_tag,
    tidy_tags,
    tidy_text,
)

CHUNK_CHARACTERS = 1 << 20
# Folders marked as the browser's own (Chrome, Firefox, Edge, Safari write these attributes).
ROOT_FOLDER_ATTRIBUTES = ("personal_toolbar_folder", "unfiled_bookmarks_folder")
# Top folders by name, for exporters that do not mark them (the Chinese browsers among them).
ROOT_FOLDER_NAMES = frozenset(
    name.casefold()
    for name in (
        "Bookmarks bar",
        "Bookmarks Toolbar",
        "Bookmarks Menu",
        "Other bookmarks",
        "Mobile bookmarks",
        "Favorites bar",
        "Favorites",
        "书签栏",
        "收藏夹栏",
        "收藏栏",
        "其他书签",
        "其他收藏",
        "其他收藏夹",
        "移动设备书签",
        "手机收藏夹",
        "书签工具栏",
        "书签菜单",
        "收藏夹",
    )
)
# Attributes that carry when a bookmark was saved: ADD_DATE everywhere, time_added in Pocket.
DATE_ATTRIBUTES = ("add_date", "time_added")
# A start tag of one of these ends an unclosed <A>'s title, an <H3>'s name, a <DD>'s note.
BLOCKS = frozenset(
    {"a", "dt", "dd", "dl", "h1", "h2", "h3", "h4", "li", "ul", "ol", "p", "div", "hr", "table"}
)


def folder_tag(name: str, attributes: dict[str, str | None]) -> str | None:
    """The tag an `<H3>` folder gives its bookmarks, or None for a browser's top folder."""
    if any(key in attributes for key in ROOT_FOLDER_ATTRIBUTES):
        return None
    tag = tidy_tag(name)
    if not tag or tag.casefold() in ROOT_FOLDER_NAMES:
        return None
    return tag


def anchor_entry(
    attributes: dict[str, str | None], folders: list[str | None], line: int
) -> Entry | None:
    """The bookmark an `<A>` starts (its title follows)."""
    href = attributes.get("href")
    if href is None:
        return None  # a named anchor, not a bookmark
    tags = [folder for folder in folders if folder]
    tags += (attributes.get("tags") or "").replace("，", ",").split(",")
    saved = None
    for name in DATE_ATTRIBUTES:
        saved = saved or from_epoch(attributes.get(name))
    private = attributes.get("private")
    return Entry(
        url=href.strip(),
        tags=tidy_tags(tags),
        saved_at=saved,
        private=None if private is None else private.strip() not in ("", "0", "false"),
        line=line,
    )


class NetscapeReader(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.ready: list[Entry] = []  # entries complete, for the generator to hand out
        self.folders: list[str | None] = []  # one per open <DL>: its folder's tag, or None
        self.next_folder: str | None = None  # the last <H3>, waiting for its <DL>
        self.pending: Entry | None = None  # a bookmark whose <DD> note may still follow
        self.capture: str = ""  # "a", "h3", "dd": whose text handle_data collects
        self.text: list[str] = []
        self.heading: dict[str, str | None] = {}

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in BLOCKS:
            self._end_capture()
        if tag in ("a", "h3", "dl", "dt"):
            # A <DD> comes right after its bookmark; after any of these it is too late.
            self._flush()
        if tag == "dl":
            self.folders.append(self.next_folder)
            self.next_folder = None
        elif tag == "a":
            self.pending = anchor_entry(dict(attrs), self.folders, self.getpos()[0])
            self.next_folder = None  # an <H3> without a <DL> was an empty folder
            self._start_capture("a" if self.pending else "")
        elif tag == "h3":
            self.heading = dict(attrs)
            self._start_capture("h3")
        elif tag == "dd" and self.pending is not None and not self.pending.note:
            self._start_capture("dd")
        elif tag == "br" and self.capture == "dd":
            self.text.append("\n")

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)

    def handle_endtag(self, tag: str) -> None:
        if tag == self.capture or (tag == "dl" and self.capture):
            self._end_capture()
        if tag == "dl":
            self._flush()
            if self.folders:
                self.folders.pop()

    def handle_data(self, data: str) -> None:
        if self.capture:
            self.text.append(data)

    def _start_capture(self, what: str) -> None:
        self.capture, self.text = what, []

    def _end_capture(self) -> None:
        what, text = self.capture, "".join(self.text)
        self.capture, self.text = "", []
        if what == "a" and self.pending is not None:
            self.pending.title = tidy_text(text, MAX_TITLE_LENGTH)
        elif what == "h3":
            self.next_folder = folder_tag(text, self.heading)
        elif what == "dd" and self.pending is not None:
            self.pending.note = tidy_note(text)

    def _flush(self) -> None:
        if self.pending is not None:
            self.ready.append(self.pending)
            self.pending = None

    def finish(self) -> None:
        self.close()
        self._end_capture()
        self._flush()


def read_netscape(raw: BinaryIO, encoding: str) -> Iterator[Entry]:
    reader = NetscapeReader()
    with io.TextIOWrapper(raw, encoding=encoding, errors="replace", newline=None) as text:
        while chunk := text.read(CHUNK_CHARACTERS):
            reader.feed(chunk)
            yield from reader.ready
            reader.ready.clear()
    reader.finish()
    yield from reader.ready
