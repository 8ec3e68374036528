"""WACZ exports of one snapshot, of a tag, of a whole account: who gets which snapshots.

- a snapshot: any snapshot the person may see (a public one of someone else, or their own);
- a tag: only the person's own links with that tag, private ones included. Tags are per
  person (links.tags), and another person's public links with the same tag name are their
  collection, not this one: an export holds what its maker kept;
- an account: every link of the person, private ones included (their own data).
A private link of someone else never gets in. Every snapshot of a chosen link goes in
(each is a page of its own at its capture time), oldest first.
"""

import re
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from django.contrib.auth.models import User
from django.db.models import QuerySet

from linkhome.archive.models import Snapshot
from linkhome.archive.wacz_export import WACZ_MIME, NothingToExport, WaczFailed, write_wacz
from linkhome.links import queries
from linkhome.links.models import Tag
from linkhome.links.visibility import Viewer

UNSAFE_IN_NAME = re.compile(r"[^\w.-]+")
__all__ = [
    "WACZ_MIME",
    "ExportError",
    "WaczExport",
    "WaczFailed",
    "export_account",
    "export_to_file",
    "export_snapshot",
    "export_tag",
]


class ExportError(ValueError):
    """Nothing to export, said so that the person knows why; the message is for them."""


@dataclass(frozen=True)
class WaczExport:
    filename: str  # what a download is called
    snapshots: int  # how many went in


def export_snapshot(viewer: Viewer, snapshot_id: int, out: Path) -> WaczExport:
    snapshot = queries.get_snapshot(viewer, snapshot_id)
    if snapshot is None:
        raise ExportError(f"no snapshot {snapshot_id}")
    count = _write([snapshot], out, snapshot.title or snapshot.url, "")
    return WaczExport(f"linkhome-snapshot-{snapshot.pk}.wacz", count)


def export_tag(owner: User, name: str, out: Path) -> WaczExport:
    if not Tag.objects.filter(owner=owner, name=name).exists():
        raise ExportError(f"you have no tag named {name!r}")
    snapshots = _oldest_first(Snapshot.objects.filter(link__owner=owner, link__tags__name=name))
    if not snapshots.exists():
        raise ExportError(f"no links are tagged {name!r}")
    count = _write(snapshots, out, f"LinkHome: {name}", f"Links tagged {name}")
    return WaczExport(f"linkhome-{_safe(owner.get_username())}-{_safe(name)}.wacz", count)


def export_account(owner: User, out: Path) -> WaczExport:
    snapshots = _oldest_first(Snapshot.objects.filter(link__owner=owner))
    if not snapshots.exists():
        raise ExportError("you have no links yet")
    username = owner.get_username()
    count = _write(snapshots, out, f"LinkHome: {username}", f"Every link kept by {username}")
    return WaczExport(f"linkhome-{_safe(username)}.wacz", count)


def export_to_file(export: Callable[[Path], WaczExport]) -> tuple[BinaryIO, WaczExport]:
    """Run `export` into a temporary file and return it open for reading: its folder is
    already gone, so nothing stays on disk once the handle is closed (a download streams
    it, then closes it)."""
    with tempfile.TemporaryDirectory(prefix="linkhome-wacz-") as work:
        path = Path(work) / "export.wacz"
        done = export(path)
        return path.open("rb"), done  # still readable after the unlink (POSIX)


def _oldest_first(snapshots: QuerySet[Snapshot]) -> QuerySet[Snapshot]:
    # Only what the package needs: the long text fields stay in the database.
    return snapshots.distinct().only("pk", "title", "url").order_by("created_at", "pk")


def _write(snapshots: QuerySet[Snapshot] | list[Snapshot], out: Path, title: str, desc: str) -> int:
    try:
        return write_wacz(list(snapshots), out, title=title, desc=desc)
    except NothingToExport as exc:
        raise ExportError(
            "nothing to export yet: no snapshot here has finished with a WARC"
        ) from exc


def _safe(part: str) -> str:
    """A file name part: letters (Chinese too), digits, dots and dashes."""
    return UNSAFE_IN_NAME.sub("-", part).strip("-.") or "export"
