"""What every reader yields, and the tidying every reader shares."""

import unicodedata
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import datetime

MAX_TAG_LENGTH = 64  # links.services.MAX_TAG_LENGTH: lib may not import it
MAX_TITLE_LENGTH = 500
TAG_SEPARATORS = (",", "，")


class NotBookmarks(ValueError):
    """The file is not one of the bookmark formats read here."""


class EmptyFile(NotBookmarks):
    """The file has nothing in it (or only spaces)."""


@dataclass(slots=True)
class Entry:
    """One bookmark as the file has it. `line` is where it starts (1-based; for JSON the line
    of its object). `problem` is set when the file's record cannot be a link at all (no
    address in it): the importer counts it as refused, with this reason."""

    url: str
    title: str = ""
    note: str = ""
    tags: tuple[str, ...] = ()
    saved_at: datetime | None = None  # timezone-aware
    private: bool | None = None  # None: the file does not say
    line: int = 0
    problem: str = ""


def _nothing_read() -> float:
    return 0.0


@dataclass
class Parsed:
    format: str
    entries: Iterator[Entry] = field(repr=False)
    # The share of the file read so far, 0 to 1, for progress bars (bytes, not entries).
    fraction: Callable[[], float] = field(default=_nothing_read, repr=False)


def tidy_tag(raw: object) -> str:
    """A folder name or a tag from a file as a valid tag name: commas (which separate tags
    everywhere a person types them) and control characters become spaces, spaces are folded,
    a leading '#' is dropped, and it is cut to 64 characters. '' when nothing is left."""
    text = str(raw or "")
    text = "".join(
        " " if char in TAG_SEPARATORS or unicodedata.category(char) == "Cc" else char
        for char in text
    )
    return " ".join(text.split()).lstrip("# ")[:MAX_TAG_LENGTH].strip()


def tidy_tags(names: Iterable[object]) -> tuple[str, ...]:
    """Each name tidied, empties and repeats dropped, the order kept."""
    seen: dict[str, None] = {}
    for name in names:
        tag = tidy_tag(name)
        if tag:
            seen.setdefault(tag, None)
    return tuple(seen)


def tidy_text(raw: object, limit: int | None = None) -> str:
    """Whitespace folded (a title spread over lines is one line), cut to `limit`."""
    text = " ".join(str(raw or "").split())
    return text[:limit] if limit else text


def tidy_note(raw: object) -> str:
    """A note keeps its lines; NUL (which PostgreSQL cannot store) is dropped."""
    return str(raw or "").replace("\x00", "").strip()
