"""WACZ packages of snapshots: their WARCs, an index, and a page list replay tools show.

The `wacz` package does the indexing, hashing and datapackage (WACZ 1.1.1); this module
chooses what goes in. Each snapshot's WARC goes in gzip per record. A revisit record whose
original lies in a WARC left out of the package (another snapshot of the same owner) is
written out in full, so the package replays on its own and holds only the pages chosen.

It makes no network request: surt only consults the public suffix list (tldextract) when
asked for `public_suffix`, which cdxj-indexer never does, and nothing here asks for the
signing server. tests/test_it_exports_wacz.py runs an export with sockets refused.
"""

import contextlib
import io
import json
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import IO

from wacz.main import main as wacz_main
from warcio.archiveiterator import ArchiveIterator
from warcio.timeutils import iso_date_to_timestamp

from linkhome.archive.artifacts import artifact_bytes, artifact_file
from linkhome.archive.models import Artifact, ArtifactKind, ArtifactStatus, Snapshot
from linkhome.archive.revisits import with_full_records
from linkhome.archive.warc_export import gzip_per_record_file
from linkhome.storage.models import BlobReference

WACZ_MIME = "application/wacz"
PAGE_RECORDS = ("response", "revisit", "resource")


class NothingToExport(ValueError):
    """None of the snapshots asked for has a WARC (not captured yet, or failed early)."""


class WaczFailed(RuntimeError):
    """The wacz package refused the input; its own words are in the message."""


@dataclass(frozen=True)
class Page:
    """One entry of pages/pages.jsonl: the page as recorded in its WARC."""

    id: str
    url: str
    ts: str  # the WARC-Date of the page's response record
    title: str


def write_wacz(snapshots: Sequence[Snapshot], out: Path, *, title: str, desc: str = "") -> int:
    """Write the WACZ of the snapshots that have a WARC to `out`; return how many went in.
    Raises NothingToExport when none has one."""
    warcs = _warc_artifacts(snapshots)
    if not warcs:
        raise NothingToExport("none of these snapshots has a WARC to export")
    with tempfile.TemporaryDirectory(prefix="linkhome-wacz-") as work:
        files, pages = _write_warcs(warcs, Path(work))
        pages_file = _write_pages(pages, Path(work) / "pages.jsonl")
        main_page = pages[0] if len(pages) == 1 else None
        _run_wacz(files, pages_file, out, title=title, desc=desc, main_page=main_page)
    return len(warcs)


def _warc_artifacts(snapshots: Sequence[Snapshot]) -> list[tuple[Snapshot, Artifact]]:
    by_id = {snapshot.pk: snapshot for snapshot in snapshots}
    found = Artifact.objects.filter(
        snapshot_id__in=by_id, kind=ArtifactKind.WARC, status=ArtifactStatus.OK
    )
    order = list(by_id)
    pairs = [(by_id[artifact.snapshot_id], artifact) for artifact in found]
    return sorted(pairs, key=lambda pair: order.index(pair[0].pk))


def _write_warcs(
    warcs: list[tuple[Snapshot, Artifact]], work: Path
) -> tuple[list[Path], list[Page]]:
    inside = {artifact.sha256 for _, artifact in warcs}
    files, pages = [], []
    for snapshot, artifact in warcs:
        path = work / f"snapshot-{snapshot.pk}.warc.gz"
        with _self_contained(artifact, inside) as warc, path.open("wb") as out:
            gzip_per_record_file(warc, out)
            warc.seek(0)
            page = page_of(snapshot, warc)
        files.append(path)
        pages += [page] if page else []
    return files, pages


def _self_contained(artifact: Artifact, inside: set[str]) -> IO[bytes]:
    """The WARC as a file, its revisits into WARCs outside the package made full records
    (those few in memory: the records are rewritten; the rest streamed from the store)."""
    targets = BlobReference.objects.filter(source_id=artifact.sha256)
    outside = set(targets.values_list("target_id", flat=True)) - inside
    if outside:
        return io.BytesIO(with_full_records(artifact_bytes(artifact), outside))
    return artifact_file(artifact)


def page_of(snapshot: Snapshot, warc: bytes | IO[bytes]) -> Page | None:
    """The page as its WARC has it: the first answer that is not a redirect (the recorder
    describes the same record in its metadata record)."""
    stream = io.BytesIO(warc) if isinstance(warc, bytes) else warc
    for record in ArchiveIterator(stream):
        status = record.http_headers.get_statuscode() if record.http_headers else ""
        if record.rec_type in PAGE_RECORDS and not status.startswith("3"):
            url = record.rec_headers.get_header("WARC-Target-URI")
            ts = record.rec_headers.get_header("WARC-Date")
            return Page(f"snapshot-{snapshot.pk}", url, ts, snapshot.title or url)
    return None


def _write_pages(pages: list[Page], path: Path) -> Path:
    header = {"format": "json-pages-1.0", "id": "pages", "title": "All Pages"}
    lines = [header, *(page.__dict__ for page in pages)]
    path.write_text("".join(json.dumps(line, ensure_ascii=False) + "\n" for line in lines))
    return path


def _run_wacz(
    files: list[Path], pages: Path, out: Path, *, title: str, desc: str, main_page: Page | None
) -> None:
    args = ["create", "-o", str(out), "--pages", str(pages), "--copy-pages", "--title", title]
    args += ["--desc", desc] if desc else []
    if main_page:  # a one-page package opens on that page
        args += ["--url", main_page.url, "--ts", iso_date_to_timestamp(main_page.ts)]
    said = io.StringIO()
    # wacz narrates on stdout, which is the CLI's own output (and may be the WACZ itself).
    with contextlib.redirect_stdout(said):
        try:
            code = wacz_main([*args, *map(str, files)])
        except (ValueError, OSError) as exc:
            raise WaczFailed(f"wacz failed: {exc}") from exc
    if code != 0:
        raise WaczFailed(f"wacz failed: {said.getvalue().strip()[-500:]}")
