"""Bookmark files in and out, with no Django: read what browsers and bookmarking services
export (the format told from the content, never from the file name), and write the Netscape
bookmark file that they all read.

`read_bookmarks(path)` answers a `Parsed`: the format's name and a generator of `Entry`,
read as the file is walked (HTML through lxml's streaming parser, CSV row by row, JSON one
array item at a time), so a 50 MB file never becomes a 50 MB tree of objects. Entries are
as the file has them: addresses are not checked here (the importer does, with the rules of
the door, links.services), tags are tidied so that each is a valid tag name.
"""

from linkhome.lib.bookmarks.entry import (
    EmptyFile,
    Entry,
    NotBookmarks,
    Parsed,
    tidy_tag,
    tidy_tags,
)
from linkhome.lib.bookmarks.reading import FORMATS, read_bookmarks
from linkhome.lib.bookmarks.writing import netscape_document

__all__ = [
    "FORMATS",
    "EmptyFile",
    "Entry",
    "NotBookmarks",
    "Parsed",
    "netscape_document",
    "read_bookmarks",
    "tidy_tag",
    "tidy_tags",
]
