"""A plain list of addresses (one a line; '#' starts a comment) or Markdown (links as
`[title](address)`, `<address>` or bare addresses in list items; a heading names the tag of
the links under it, until the next heading of its level or higher)."""

import io
import re
from collections.abc import Iterator
from typing import BinaryIO

from linkhome.lib.bookmarks.entry import MAX_TITLE_LENGTH, Entry, tidy_tag, tidy_text

MARKDOWN_LINK = re.compile(r"\[([^\]]*)\]\(\s*<?(https?://[^)\s>]+)>?(?:\s+\"[^\"]*\")?\s*\)")
ANGLE_LINK = re.compile(r"<(https?://[^>\s]+)>")
BARE_LINK = re.compile(r"https?://[^\s<>\"'`)\]]+")
HEADING = re.compile(r"^(#{1,6})\s+(.*?)\s*#*\s*$")
LIST_MARK = re.compile(r"^\s*(?:[-*+]|\d+[.)])\s+(?:\[[ xX]\]\s+)?")


def looks_like_markdown(head: str) -> bool:
    """Markdown links, or list items holding addresses; '#' lines alone are comments."""
    if MARKDOWN_LINK.search(head) or ANGLE_LINK.search(head):
        return True
    return any(LIST_MARK.match(line) and "://" in line for line in head.splitlines()[:500])


def read_markdown(raw: BinaryIO, encoding: str) -> Iterator[Entry]:
    headings: list[tuple[int, str]] = []
    with io.TextIOWrapper(raw, encoding=encoding, errors="replace", newline=None) as lines:
        for number, line in enumerate(lines, start=1):
            heading = HEADING.match(line)
            if heading:
                level = len(heading.group(1))
                headings = [(lvl, name) for lvl, name in headings if lvl < level]
                tag = tidy_tag(heading.group(2))
                if tag:
                    headings.append((level, tag))
                continue
            tags = tuple(dict.fromkeys(name for _, name in headings))
            found = [(m.group(2), m.group(1)) for m in MARKDOWN_LINK.finditer(line)]
            rest = MARKDOWN_LINK.sub(" ", line)
            found += [(m.group(1), "") for m in ANGLE_LINK.finditer(rest)]
            rest = ANGLE_LINK.sub(" ", rest)
            found += [(m.group(0).rstrip(".,;:!?"), "") for m in BARE_LINK.finditer(rest)]
            if not found and LIST_MARK.match(line) and "://" in line:
                yield Entry(url=line.strip(), line=number, problem="not an address")
            for url, title in found:
                if not title:
                    title = LIST_MARK.sub("", rest).strip(" -–—:|") if len(found) == 1 else ""
                    title = "" if "://" in title else title
                yield Entry(
                    url=url, title=tidy_text(title, MAX_TITLE_LENGTH), tags=tags, line=number
                )


def read_plain(raw: BinaryIO, encoding: str) -> Iterator[Entry]:
    """Every line that is not blank or a comment is an address; anything else in its place
    is refused with its line, so a typo is found, not skipped without a word."""
    with io.TextIOWrapper(raw, encoding=encoding, errors="replace", newline=None) as lines:
        for number, line in enumerate(lines, start=1):
            text = line.strip()
            if not text or text.startswith(("#", "//")):
                continue
            url, _, title = text.partition(" ")
            if "://" not in url and "." not in url.split("/", 1)[0]:
                yield Entry(url=text, line=number, problem="not an address")
                continue
            yield Entry(url=url, title=tidy_text(title, MAX_TITLE_LENGTH), line=number)
