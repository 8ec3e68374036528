"""The Netscape bookmark file, written as a stream: the format every browser and every
bookmarking service imports. One flat list (tags carry the folders), with `ADD_DATE`,
`TAGS`, `PRIVATE` and a `<DD>` note, like linkding's and Pinboard's exports."""

import unicodedata
from collections.abc import Iterable, Iterator
from html import escape

from linkhome.lib.bookmarks.entry import Entry

HEADER = """<!DOCTYPE NETSCAPE-Bookmark-file-1>
<!-- This is an automatically generated file.
     It will be read and overwritten.
     DO NOT EDIT! -->
<META HTTP-EQUIV="Content-Type" CONTENT="text/html; charset=UTF-8">
<TITLE>Bookmarks</TITLE>
<H1>Bookmarks</H1>
<DL><p>
"""
FOOTER = "</DL><p>\n"


def printable(text: str, *, lines: bool = False) -> str:
    """Text that an HTML parser gives back as it was written: control characters (line
    breaks in a note excepted) and Unicode non-characters dropped, CR LF as LF."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return "".join(
        char
        for char in text
        if (lines and char in "\n\t")
        or (
            unicodedata.category(char) not in ("Cc", "Cs")
            and not (0xFDD0 <= ord(char) <= 0xFDEF or ord(char) & 0xFFFE == 0xFFFE)
        )
    )


def anchor(entry: Entry) -> str:
    attributes = [f'HREF="{escape(printable(entry.url))}"']
    if entry.saved_at is not None:
        attributes.append(f'ADD_DATE="{int(entry.saved_at.timestamp())}"')
    if entry.private is not None:
        attributes.append(f'PRIVATE="{1 if entry.private else 0}"')
    attributes.append(f'TAGS="{escape(",".join(printable(tag) for tag in entry.tags))}"')
    line = f"    <DT><A {' '.join(attributes)}>{escape(printable(entry.title))}</A>\n"
    if entry.note:
        line += f"    <DD>{escape(printable(entry.note, lines=True))}\n"
    return line


def netscape_document(entries: Iterable[Entry]) -> Iterator[str]:
    """The file in pieces, one bookmark at a time, so a large export never sits in memory."""
    yield HEADER
    for entry in entries:
        yield anchor(entry)
    yield FOOTER
