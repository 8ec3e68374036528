"""Each entry of a bookmark file judged by the door's rules, in a process of its own.

An import spends about as long reading and judging entries (the HTML tokenizer, cleaning
and normalizing each address) as saving them. `judged_in_child` runs the reading and the
judging in a child process (`python -m linkhome.lib.bookmarks.judging`) that writes one JSON
line per entry, while the caller saves the previous batch: on two cores the two halves
overlap. `judged_here` does the same work in this process (the fallback, and the tests'
reference). No Django: the caller passes what settings say.
"""

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from pathlib import Path

from linkhome.lib.bookmarks.entry import Entry
from linkhome.lib.bookmarks.reading import read_bookmarks
from linkhome.lib.safe_http.errors import FetchError
from linkhome.lib.safe_http.urls import check_url, names_a_host
from linkhome.lib.urls import InvalidUrl, clean_submitted_url, normalize_url

PRIVATE = "private"
PROGRESS_EVERY = 1000


@dataclass(slots=True)
class Judged:
    """An entry as a link to save (`url` set) or refused (`code` and `detail` set)."""

    position: int  # index in the file, from 0
    line: int
    shown: str  # what the report shows for the entry: its address, or its title
    url: str = ""
    normalized: str = ""
    title: str = ""
    note: str = ""
    tags: tuple[str, ...] = ()
    private: bool = False
    saved_at: float | None = None  # Unix time
    code: str = ""
    detail: str = ""

    @property
    def saved(self) -> datetime | None:
        return None if self.saved_at is None else datetime.fromtimestamp(self.saved_at, UTC)


def judge(
    position: int, entry: Entry, extra_tags: list[str], visibility: str, allow_private: bool
) -> Judged:
    verdict = Judged(position, entry.line, entry.url or entry.title)
    if entry.problem:
        verdict.code, verdict.detail = "not_a_link", entry.problem
        return verdict
    try:
        url = clean_submitted_url(entry.url).url
    except InvalidUrl as exc:
        scheme = "only http and https" in exc.template
        verdict.code, verdict.detail = ("scheme" if scheme else "malformed"), str(exc)
        return verdict
    try:
        if not names_a_host(url):
            check_url(url, allow_private)
    except FetchError as exc:
        verdict.code = {"blocked_address": "private", "bad_scheme": "scheme"}.get(
            exc.code, "malformed"
        )
        verdict.detail = str(exc)
        return verdict
    verdict.url, verdict.normalized = url, normalize_url(url)
    verdict.title, verdict.note = entry.title, entry.note
    verdict.tags = tuple(dict.fromkeys([*entry.tags, *extra_tags]))
    verdict.private = visibility == PRIVATE or (not visibility and bool(entry.private))
    verdict.saved_at = entry.saved_at.timestamp() if entry.saved_at else None
    return verdict


def judged_here(
    path: Path, extra_tags: list[str], visibility: str, allow_private: bool
) -> Iterator[Judged | float]:
    """Every entry judged, in file order, with the share of the file read (a float) now
    and then."""
    parsed = read_bookmarks(path)
    for position, entry in enumerate(parsed.entries):
        yield judge(position, entry, extra_tags, visibility, allow_private)
        if position % PROGRESS_EVERY == PROGRESS_EVERY - 1:
            yield parsed.fraction()
    yield 1.0


def judged_in_child(
    path: Path, extra_tags: list[str], visibility: str, allow_private: bool
) -> Iterator[Judged | float]:
    """judged_here, computed by a child process while the caller works on what came before.
    The child's own errors (a file it cannot read) come back as RuntimeError."""
    config = json.dumps(
        {"path": str(path), "tags": extra_tags, "visibility": visibility, "allow": allow_private}
    )
    root = str(Path(__file__).resolve().parents[3])  # the folder holding linkhome/
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([root, os.environ.get("PYTHONPATH", "")])}
    child = subprocess.Popen(
        [sys.executable, "-m", "linkhome.lib.bookmarks.judging", config],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=env,
        bufsize=1 << 20,
    )
    assert child.stdout is not None
    try:
        for line in child.stdout:
            item = json.loads(line)
            if isinstance(item, float | int):
                yield float(item)
            else:
                item["tags"] = tuple(item["tags"])
                yield Judged(**item)
        _, err = child.communicate()
        if child.returncode != 0:
            raise RuntimeError(f"reading the file failed: {err.decode(errors='replace')[-2000:]}")
    finally:
        if child.poll() is None:
            child.kill()
            child.wait()


def main() -> None:
    config = json.loads(sys.argv[1])
    out = sys.stdout
    write = out.write
    for item in judged_here(
        Path(config["path"]), config["tags"], config["visibility"], config["allow"]
    ):
        if isinstance(item, float):
            write(f"{item}\n")
        else:
            write(json.dumps(asdict(item), ensure_ascii=False) + "\n")
    out.flush()


if __name__ == "__main__":
    main()
