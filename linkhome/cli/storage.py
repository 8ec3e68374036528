"""`linkhome storage migrate --to s3|file`: move the archive's blobs to the other store."""

import argparse

from linkhome.cli.errors import CliError


def register(sub: argparse._SubParsersAction) -> None:
    storage = sub.add_parser("storage", help="the blob store")
    actions = storage.add_subparsers(dest="action", required=True)
    migrate = actions.add_parser(
        "migrate",
        help="copy every blob to the other store, verified by sha256 (run again to resume)",
    )
    migrate.add_argument("--to", required=True, choices=("s3", "file"), help="the destination")
    migrate.set_defaults(handler=migrate_command)


def migrate_command(args: argparse.Namespace) -> int:
    from django.conf import settings
    from django.utils.translation import gettext as _
    from rich.progress import Progress

    from linkhome.storage.migrate import NotVerified, migrate_blobs

    with Progress(transient=True) as progress:
        bar = progress.add_task(_("copying blobs"), total=None)
        try:
            result = migrate_blobs(
                args.to, lambda done, total: progress.update(bar, completed=done, total=total)
            )
        except NotVerified as exc:
            raise CliError(str(exc)) from exc
    summary = _(
        "%(total)s blobs: %(copied)s copied (%(bytes)s bytes stored), "
        "%(there)s already there and verified"
    )
    print(
        summary
        % {
            "total": result.total,
            "copied": result.copied,
            "bytes": result.copied_bytes,
            "there": result.already_there,
        }
    )
    if result.missing:
        shown = ", ".join(result.missing[:10])
        missing = _("%(count)s blobs are missing from the source: %(names)s")
        raise CliError(missing % {"count": len(result.missing), "names": shown})
    if args.to != settings.STORAGE_KIND:
        print(_("set LINKHOME_STORAGE=%(kind)s to use it") % {"kind": args.to})
    return 0
