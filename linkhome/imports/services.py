"""Bookmark imports: the only code that writes import jobs.

`start_import` takes the file at the door (size, emptiness and format are checked at once,
so a wrong file is refused while the person waits, in their language), stores it and queues
a job. The worker runs `run_import`: entries are read as a stream (lib.bookmarks), judged
by the door's rules (lib.urls: http/https and well formed; lib.safe_http: no private
address), and saved a thousand at a time through links.services.save_links, which queues
their captures in the bulk lane. Each batch commits with the job's counters and its place in
the file, so a job stopped by a killed worker resumes after the last batch it committed,
and no entry is saved or counted twice. Importing the same file again only finds links
already kept, with nothing new to add.
"""

import csv
import io
import logging
import os
import secrets
import shutil
import time
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import BinaryIO

from django.conf import settings
from django.contrib.auth.models import User
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from linkhome.archive.models import FINISHED
from linkhome.imports.models import ImportedLink, ImportJob, ImportProblem, ImportStatus
from linkhome.imports.signals import import_requested
from linkhome.lib.bookmarks import Entry, NotBookmarks, judging, read_bookmarks
from linkhome.lib.bookmarks.entry import EmptyFile
from linkhome.links.models import Visibility
from linkhome.links.services import BulkLink, LinkError, clean_tag_names, save_links
from linkhome.storage.rows import insert_rows

log = logging.getLogger("linkhome.imports")
BATCH = 1000  # entries per transaction: the unit of progress and of resuming
COPY_CHUNK = 1 << 20
MAX_ENTRY_SHOWN = 2000

# Why an entry was refused, by code: shown translated (web) and given as code + detail (API).
REASONS = {
    "scheme": gettext_noop("not an http or https address"),
    "private": gettext_noop("a private or local network address"),
    "malformed": gettext_noop("not a valid address"),
    "not_a_link": gettext_noop("not a link"),
}


NO_FILE = gettext_noop("choose a bookmark file to import")
# What the 导入 page lists as readable (the formats' own names are not translated).
FORMAT_NAMES = (
    "Chrome, Edge, Firefox, Safari, 360, QQ, Sogou (HTML)",
    "linkding, Linkwarden, Karakeep, Pinboard, Shaarli (HTML)",
    "Pocket (CSV, HTML)",
    "Instapaper (CSV)",
    "Raindrop (CSV)",
    "Pinboard (JSON)",
    "Omnivore (JSON)",
    "wallabag (JSON)",
    "Linkwarden (JSON)",
    "Karakeep (JSON)",
    "Chrome Bookmarks (JSON)",
    "LinkHome (HTML, JSON, CSV)",
    "text, Markdown",
)


class ImportRefused(LinkError):
    """The file cannot be imported (too large, empty, not a bookmark file, bad options)."""


class FileTooLarge(ImportRefused):
    """Over LINKHOME_IMPORT_MAX_BYTES (the web and the API answer 413)."""


def too_large_message(limit: int) -> FileTooLarge:
    return FileTooLarge(
        gettext_noop("the file is larger than the limit of %(limit)s"), limit=human_size(limit)
    )


def check_declared_size(length: object) -> None:
    """Refuse an upload by its Content-Length, before a byte of it is read."""
    try:
        declared = int(str(length))
    except ValueError:
        return
    # The multipart framing and form fields around the file: a little slack.
    if settings.IMPORT_MAX_BYTES and declared > settings.IMPORT_MAX_BYTES + 64 * 1024:
        raise too_large_message(settings.IMPORT_MAX_BYTES)


def human_size(size: int) -> str:
    for unit in ("bytes", "KiB", "MiB", "GiB"):
        if size < 1024 or unit == "GiB":
            return f"{size:,} {unit}" if unit == "bytes" else f"{size:,.0f} {unit}"
        size /= 1024  # type: ignore[assignment]
    return str(size)


def import_dir() -> Path:
    folder = Path(settings.IMPORT_DIR)
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def start_import(
    owner: User,
    source: BinaryIO | UploadedFile,
    *,
    file_name: str = "",
    tags: Iterable[str] = (),
    visibility: str | None = None,
) -> ImportJob:
    """Store the file, check it, and queue its import; raises ImportRefused (or LinkError for
    a bad tag) at once, before anything is queued."""
    extra_tags = clean_tag_names(tags)
    if visibility not in (None, "", *Visibility.values):
        raise ImportRefused(f"visibility must be one of {', '.join(Visibility.values)}")
    stored = f"{secrets.token_hex(12)}.upload"
    path = import_dir() / stored
    try:
        size = _copy_limited(source, path, settings.IMPORT_MAX_BYTES)
        if size == 0:
            raise ImportRefused(gettext_noop("the file is empty"))
        kind = _format_of(path)
    except BaseException:
        path.unlink(missing_ok=True)
        raise
    with transaction.atomic():
        job = ImportJob.objects.create(
            owner=owner,
            file_name=os.path.basename(file_name)[:255],
            stored_name=stored,
            size=size,
            format=kind,
            tags=extra_tags,
            visibility=visibility or "",
        )
        announce(job)
    return job


def _copy_limited(source: BinaryIO | UploadedFile, path: Path, limit: int) -> int:
    size = 0
    with path.open("wb") as out:
        while chunk := source.read(COPY_CHUNK):
            size += len(chunk)
            if limit and size > limit:
                raise too_large_message(limit)
            out.write(chunk)
    return size


def _format_of(path: Path) -> str:
    try:
        return read_bookmarks(path).format
    except EmptyFile:
        raise ImportRefused(gettext_noop("the file is empty")) from None
    except NotBookmarks as exc:
        log.info("refused an upload: %s", exc)
        raise ImportRefused(
            gettext_noop(
                "this is not a bookmark file LinkHome can read: it reads bookmarks exported "
                "by browsers (HTML) and by Pocket, Instapaper, Raindrop, Pinboard, Omnivore, "
                "wallabag, Linkwarden and Karakeep, Chrome's Bookmarks file, and lists of "
                "addresses (text or Markdown)"
            )
        ) from None


def announce(job: ImportJob) -> None:
    job_id = job.pk
    transaction.on_commit(lambda: import_requested.send(ImportJob, job_id=job_id), robust=True)


# --- running a job (the worker) ----------------------------------------------------------


def claim(job_id: int, worker_id: str) -> ImportJob | None:
    """Mark a queued job running for this worker; None when it is not there or taken."""
    updated = ImportJob.objects.filter(pk=job_id, status=ImportStatus.QUEUED).update(
        status=ImportStatus.RUNNING, worker_id=worker_id[:64]
    )
    if not updated:
        return None
    job = ImportJob.objects.get(pk=job_id)
    if job.started_at is None:
        job.started_at = timezone.now()
        job.save(update_fields=["started_at"])
    return job


def run_import(
    job_id: int, worker_id: str = "", on_batch: Callable[[ImportJob], None] | None = None
) -> ImportJob | None:
    """Run a queued job to its end; `on_batch` hears of each committed batch (a progress
    bar). None when the job is not there or another worker has it."""
    job = claim(job_id, worker_id)
    if job is None:
        return None
    try:
        _process(job, on_batch)
    except Exception as exc:
        log.exception("import %s failed", job.pk)
        _finish(job, ImportStatus.FAILED, f"{type(exc).__name__}: {exc}")
        raise
    return _finish(job, ImportStatus.DONE)


def _finish(job: ImportJob, status: str, error: str = "") -> ImportJob:
    job.status, job.error, job.finished_at = status, error, timezone.now()
    if status == ImportStatus.DONE:
        job.progress = 1.0
    job.save(update_fields=["status", "error", "finished_at", "progress"])
    (import_dir() / job.stored_name).unlink(missing_ok=True)
    return job


def judge(entry: Entry, extra_tags: list[str], visibility: str) -> tuple[BulkLink | None, str, str]:
    """The entry as a link to save, or (None, reason code, detail in English)."""
    verdict = judging.judge(0, entry, extra_tags, visibility, settings.ALLOW_PRIVATE_NETWORKS)
    return _link(verdict), verdict.code, verdict.detail


def _link(verdict: judging.Judged) -> BulkLink | None:
    if not verdict.url:
        return None
    return BulkLink(
        url=verdict.url,
        normalized=verdict.normalized,
        title=verdict.title,
        note=verdict.note,
        tags=verdict.tags,
        private=verdict.private,
        saved_at=verdict.saved,
    )


def _judged(job: ImportJob) -> Iterator[judging.Judged | float]:
    """The file's entries judged, by a child process while this one saves (two cores
    overlap), or here when LINKHOME_IMPORT_READER_PROCESS is off."""
    walk = judging.judged_in_child if settings.IMPORT_READER_PROCESS else judging.judged_here
    return walk(
        import_dir() / job.stored_name,
        list(job.tags),
        job.visibility,
        settings.ALLOW_PRIVATE_NETWORKS,
    )


def _process(job: ImportJob, on_batch: Callable[[ImportJob], None] | None = None) -> None:
    seen: set[str] = set()
    batch: list[judging.Judged] = []
    progress = 0.0
    for item in _judged(job):
        if isinstance(item, float):
            progress = item
            continue
        if item.position < job.entries_read:  # committed before a restart
            if item.url:
                seen.add(item.normalized)
            continue
        batch.append(item)
        if len(batch) >= BATCH:
            _commit(job, batch, seen, progress)
            batch = []
            if on_batch is not None:
                on_batch(job)
    if batch:
        _commit(job, batch, seen, 1.0)


def _commit(job: ImportJob, batch: list[judging.Judged], seen: set[str], progress: float) -> None:
    problems: list[ImportProblem] = []
    firsts: list[BulkLink] = []
    repeats: list[BulkLink] = []
    for item in batch:
        link = _link(item)
        if link is None:
            problems.append(_problem(job, item, ImportProblem.REFUSED, item.code, item.detail))
        elif link.normalized in seen:
            problems.append(_problem(job, item, ImportProblem.DUPLICATE, "", ""))
            repeats.append(link)  # its tags still join the link
        else:
            seen.add(link.normalized)
            firsts.append(link)
    with transaction.atomic():
        saved = save_links(job.owner, [*firsts, *repeats])
        counts = {"added": 0, "merged": 0, "unchanged": 0}
        rows = []
        for link in firsts:
            result = saved[link.normalized]
            outcome = "added" if result.created else "merged" if result.tags_added else "unchanged"
            counts[outcome] += 1
            rows.append((job.pk, result.link_id, result.snapshot_id, result.created))
        insert_rows(ImportedLink, ["job_id", "link_id", "snapshot_id", "created"], rows)
        ImportProblem.objects.bulk_create(problems)
        job.added += counts["added"]
        job.merged += counts["merged"]
        job.unchanged += counts["unchanged"]
        job.refused += sum(1 for p in problems if p.kind == ImportProblem.REFUSED)
        job.duplicates += sum(1 for p in problems if p.kind == ImportProblem.DUPLICATE)
        job.captures_queued += sum(1 for r in saved.values() if r.snapshot_id)
        job.entries_read = batch[-1].position + 1
        job.progress = progress
        job.save()


def _problem(
    job: ImportJob, item: judging.Judged, kind: str, code: str, detail: str
) -> ImportProblem:
    return ImportProblem(
        job=job,
        position=item.position,
        line=item.line,
        entry=item.shown[:MAX_ENTRY_SHOWN],
        kind=kind,
        code=code,
        detail=detail,
    )


# --- recovery (the worker's heartbeat) ---------------------------------------------------


def requeue_abandoned(live_worker_ids: set[str], pending_job_ids: set[int]) -> list[int]:
    """Jobs left running by a worker that died go back to the queue (they resume after the
    last batch they committed); queued jobs whose task was lost are queued again."""
    running = ImportJob.objects.filter(status=ImportStatus.RUNNING).exclude(
        worker_id__in=live_worker_ids
    )
    dead = list(running.values_list("pk", flat=True))
    with transaction.atomic():
        ImportJob.objects.filter(pk__in=dead, status=ImportStatus.RUNNING).update(
            status=ImportStatus.QUEUED, worker_id=""
        )
        lost = ImportJob.objects.filter(status=ImportStatus.QUEUED).exclude(pk__in=pending_job_ids)
        for job in lost:
            announce(job)
    if dead:
        log.warning("requeued %d abandoned imports", len(dead))
    return dead


ORPHAN_SECONDS = 3600


def forget_orphans(older_than: float = ORPHAN_SECONDS) -> int:
    """Uploads no waiting or running job needs (a web server killed while a file came in,
    a job that ended without removing its file) are removed once they are an hour old."""
    needed = set(
        ImportJob.objects.filter(
            status__in=(ImportStatus.QUEUED, ImportStatus.RUNNING)
        ).values_list("stored_name", flat=True)
    )
    cutoff = time.time() - older_than
    removed = 0
    for path in import_dir().glob("*.upload"):
        try:
            if path.name not in needed and path.stat().st_mtime < cutoff:
                path.unlink()
                removed += 1
        except FileNotFoundError:
            continue
    return removed


# --- reading a job -----------------------------------------------------------------------


def jobs_of(owner: User) -> QuerySet[ImportJob]:
    return ImportJob.objects.filter(owner=owner)


def captures_finished(job: ImportJob) -> int:
    return ImportedLink.objects.filter(job=job, snapshot__status__in=FINISHED).count()


def forget_upload(job: ImportJob) -> None:
    (import_dir() / job.stored_name).unlink(missing_ok=True)


def copy_file(path: Path, out: BinaryIO) -> None:
    with path.open("rb") as source:
        shutil.copyfileobj(source, out)


def summary(job: ImportJob) -> dict[str, object]:
    """What the API and `linkhome import --json` say about a job."""
    return {
        "id": job.pk,
        "status": job.status,
        "file_name": job.file_name,
        "format": job.format,
        "size": job.size,
        "progress": round(job.progress, 4),
        "entries_read": job.entries_read,
        "added": job.added,
        "merged": job.merged,
        "unchanged": job.unchanged,
        "duplicates": job.duplicates,
        "refused": job.refused,
        "captures_queued": job.captures_queued,
        "captures_finished": captures_finished(job),
        "error": job.error,
        "created_at": job.created_at.isoformat(),
        "finished_at": job.finished_at.isoformat() if job.finished_at else None,
    }


def reason_text(problem: ImportProblem) -> str:
    """Why an entry was refused, in the active language (the English detail after it)."""
    if problem.kind == ImportProblem.DUPLICATE:
        return _("the same address is earlier in the file")
    label = _(REASONS[problem.code]) if problem.code in REASONS else ""
    return f"{label}: {problem.detail}" if label and problem.detail else label or problem.detail


REPORT_COLUMNS = ("outcome", "line", "entry", "reason")


def report(job: ImportJob) -> Iterator[str]:
    """The report to download: one CSV row per entry refused or repeated, with its line."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(REPORT_COLUMNS)
    for count, problem in enumerate(job.problems.order_by("position").iterator(2000), start=1):
        outcome = _("refused") if problem.kind == ImportProblem.REFUSED else _("duplicate")
        writer.writerow([outcome, problem.line or "", problem.entry, reason_text(problem)])
        if count % 500 == 0:
            yield buffer.getvalue()
            buffer.seek(0)
            buffer.truncate()
    yield buffer.getvalue()
