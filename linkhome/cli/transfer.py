"""`linkhome import FILE` and `linkhome export`: bookmark files in and out, through the same
services as the 导入 / 导出 pages and the API."""

import argparse
import contextlib
import json
import os
import socket
import sys
import tempfile
import time
from pathlib import Path

from linkhome.cli.errors import CliError

POLL_SECONDS = 0.3
SHOWN_PROBLEMS = 20


def register(sub: argparse._SubParsersAction) -> None:
    load = sub.add_parser(
        "import",
        help="import a bookmark file (browser HTML, Pocket, Instapaper, Raindrop, Pinboard, "
        "Omnivore, wallabag, Linkwarden, Karakeep, Chrome JSON, a list of addresses)",
    )
    load.add_argument("file", metavar="FILE", help="the file ('-' for stdin)")
    load.add_argument("--tag", action="append", default=[], help="tag every link (repeatable)")
    seen_by = load.add_mutually_exclusive_group()
    seen_by.add_argument("--private", action="store_true", help="make every link private")
    seen_by.add_argument(
        "--public", action="store_true", help="make every new link public, whatever the file says"
    )
    load.add_argument("--json", action="store_true", help="print the result as JSON")
    load.add_argument("--user", help="act as this account (default: the first one)")
    load.set_defaults(handler=import_command)
    out = sub.add_parser("export", help="export your links as a bookmark file")
    out.add_argument("--format", choices=("netscape", "json", "csv"), default="netscape")
    out.add_argument("--tag", action="append", default=[], help="only links with this tag")
    out.add_argument("-o", "--output", metavar="FILE", help="where to write it ('-' for stdout)")
    out.add_argument("--user", help="act as this account (default: the first one)")
    out.set_defaults(handler=export_command)


def import_command(args: argparse.Namespace) -> int:
    from linkhome.cli.links import acting_user
    from linkhome.imports import services
    from linkhome.links.services import LinkError, explain

    user = acting_user(args.user, create=True)
    visibility = "private" if args.private else "public" if args.public else None
    try:
        if args.file == "-":
            job = services.start_import(
                user, sys.stdin.buffer, file_name="stdin", tags=args.tag, visibility=visibility
            )
        else:
            with _open(args.file) as source:
                job = services.start_import(
                    user, source, file_name=args.file, tags=args.tag, visibility=visibility
                )
    except LinkError as exc:
        raise CliError(explain(exc)) from exc
    job = _wait(job.pk, quiet=args.json)
    summary = services.summary(job)
    if args.json:
        problems = [
            {"outcome": p.kind, "line": p.line, "entry": p.entry, "reason": services.reason_text(p)}
            for p in job.problems.order_by("position")
        ]
        print(json.dumps({**summary, "problems": problems}, ensure_ascii=False))
    else:
        _say(job, summary)
    return 0 if job.status == "done" else 1


def _open(name: str):  # noqa: ANN202
    try:
        return Path(name).open("rb")
    except OSError as exc:
        raise CliError(f"cannot read {name}: {exc.strerror}") from exc


def _wait(job_id: int, *, quiet: bool):  # noqa: ANN202
    """A progress bar while the worker runs the job; with no worker running, run it here."""
    from rich.progress import Progress

    from linkhome.archive import health
    from linkhome.imports.models import ImportJob
    from linkhome.imports.services import run_import

    me = f"cli-{socket.gethostname()[:40]}-{os.getpid()}"
    try:
        with Progress(disable=quiet, transient=True) as progress:
            bar = progress.add_task("importing", total=100)

            def show(job: ImportJob) -> None:
                health.beat(me)  # ours while we run it: a worker's recovery leaves it alone
                progress.update(bar, completed=round(job.progress * 100))

            while True:
                job = ImportJob.objects.get(pk=job_id)
                show(job)
                if job.is_finished:
                    return job
                if job.status == "queued" and not health.live_worker_ids() - {me}:
                    # A failure is recorded on the job, and said below.
                    with contextlib.suppress(Exception):
                        run_import(job_id, me, on_batch=show)
                    continue
                # A worker has it (or had it and died: the next worker's recovery resumes it).
                time.sleep(POLL_SECONDS)
    finally:
        health.forget(me)


def _say(job, summary: dict) -> None:  # noqa: ANN001
    from django.utils.translation import gettext as _

    from linkhome.imports import services

    lines = [
        _("%(format)s file: %(entries)d entries read")
        % {"format": job.format, "entries": job.entries_read},
        _(
            "added %(added)d, already kept %(kept)d (new tags added to %(merged)d), "
            "duplicates in the file %(duplicates)d, refused %(refused)d"
        )
        % {
            "added": job.added,
            "kept": job.merged + job.unchanged,
            "merged": job.merged,
            "duplicates": job.duplicates,
            "refused": job.refused,
        },
        _("captures queued %(queued)d, finished %(finished)d (the worker captures the rest)")
        % {"queued": job.captures_queued, "finished": summary["captures_finished"]},
    ]
    for line in lines:
        print(line)
    if job.error:
        print(job.error, file=sys.stderr)
    for problem in job.problems.order_by("position")[:SHOWN_PROBLEMS]:
        where = f"{problem.line}: " if problem.line else ""
        print(f"  {where}{problem.entry[:120]} — {services.reason_text(problem)}", file=sys.stderr)
    hidden = job.refused + job.duplicates - SHOWN_PROBLEMS
    if hidden > 0:
        print(
            _("  … and %(count)d more (linkhome import --json lists them all)") % {"count": hidden},
            file=sys.stderr,
        )


def export_command(args: argparse.Namespace) -> int:
    from linkhome.cli.links import acting_user
    from linkhome.imports import exports

    user = acting_user(args.user)
    pieces = exports.export(user, args.format, args.tag)
    if args.output == "-":
        for piece in pieces:
            sys.stdout.buffer.write(piece.encode("utf-8"))
        sys.stdout.buffer.flush()
        return 0
    target = Path(args.output or exports.file_name(args.format))
    # Written beside the target and renamed at the end: no half-written file on failure.
    try:
        part = tempfile.NamedTemporaryFile(  # noqa: SIM115 - renamed, or removed, below
            "w", encoding="utf-8", dir=target.parent, prefix=".linkhome-export-", delete=False
        )
    except OSError as exc:
        raise CliError(f"cannot write {target}: {exc.strerror}") from exc
    try:
        with part:
            for piece in pieces:
                part.write(piece)
        os.replace(part.name, target)
    except BaseException as exc:
        Path(part.name).unlink(missing_ok=True)
        if isinstance(exc, OSError):
            raise CliError(f"cannot write {target}: {exc.strerror}") from exc
        raise
    print(f"wrote {target}", file=sys.stderr)
    return 0
