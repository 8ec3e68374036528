"""`linkhome export-wacz`: a snapshot, a tag or a whole account as one WACZ file."""

import argparse
import os
import shutil
import sys
import tempfile
from pathlib import Path

from linkhome.cli.arguments import object_id
from linkhome.cli.errors import CliError


def register(sub: argparse._SubParsersAction) -> None:
    export = sub.add_parser(
        "export-wacz", help="export snapshots as a WACZ web archive (ReplayWeb.page, pywb)"
    )
    what = export.add_mutually_exclusive_group(required=True)
    what.add_argument("--snapshot", type=object_id, metavar="ID", help="one snapshot")
    what.add_argument("--tag", metavar="NAME", help="every snapshot of your links with this tag")
    what.add_argument("--all", action="store_true", help="every snapshot of all your links")
    export.add_argument("--user", help="act as this account (default: the first one)")
    export.add_argument(
        "-o",
        "--output",
        metavar="FILE",
        help="where to write it ('-' for stdout; default: "
        "a name like linkhome-snapshot-ID.wacz in the current folder)",
    )
    export.set_defaults(handler=export_command)


def export_command(args: argparse.Namespace) -> int:
    from linkhome.cli.links import acting_user

    user = acting_user(args.user)
    # Written beside the target and renamed at the end: no half-written file on failure.
    folder = Path(args.output).parent if args.output not in (None, "-") else Path.cwd()
    try:
        with tempfile.TemporaryDirectory(prefix=".linkhome-wacz-", dir=folder) as work:
            part = Path(work) / "export.wacz"
            done = _export(user, args, part)
            target = _deliver(part, args.output or done.filename)
    except OSError as exc:
        raise CliError(f"cannot write {args.output or folder}: {exc.strerror}") from exc
    if target:
        print(f"wrote {target} ({done.snapshots} snapshots)", file=sys.stderr)
    return 0


def _export(user, args: argparse.Namespace, out: Path):  # noqa: ANN001, ANN202
    from linkhome.links import exports

    try:
        if args.snapshot is not None:
            return exports.export_snapshot(user, args.snapshot, out)
        if args.tag is not None:
            return exports.export_tag(user, args.tag, out)
        return exports.export_account(user, out)
    except (exports.ExportError, exports.WaczFailed) as exc:
        raise CliError(str(exc)) from exc


def _deliver(part: Path, output: str) -> str:
    """Move the finished file into place; '-' copies it to stdout instead."""
    if output == "-":
        with part.open("rb") as source:
            shutil.copyfileobj(source, sys.stdout.buffer)
        sys.stdout.buffer.flush()
        return ""
    os.replace(part, output)
    return output
