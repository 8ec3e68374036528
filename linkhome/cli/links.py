"""`linkhome add`, `show`, `list` and `delete`: parse, call the link services, print."""

import argparse
import dataclasses
import json
import sys
from typing import TYPE_CHECKING

from linkhome.cli.arguments import object_id
from linkhome.cli.errors import CliError
from linkhome.lib.urls import shown_url

if TYPE_CHECKING:
    from django.contrib.auth.models import User

    from linkhome.links.deletion import DeletedLink
    from linkhome.links.services import AddedLink


def register(sub: argparse._SubParsersAction) -> None:
    add = sub.add_parser("add", help="save links and queue their snapshots")
    add.add_argument("urls", nargs="*", metavar="URL")
    add.add_argument("--file", help="read URLs from a file, one per line ('-' for stdin)")
    add.add_argument("--tag", action="append", default=[], help="tag to add (repeatable)")
    seen_by = add.add_mutually_exclusive_group()
    seen_by.add_argument("--private", action="store_true", help="only you can see these links")
    seen_by.add_argument(
        "--public", action="store_true", help="everyone can see them (default for new links)"
    )
    add.add_argument("--recapture", action="store_true", help="capture again if already saved")
    add.add_argument(
        "--browser",
        action="store_true",
        default=None,
        help="also capture in Chromium: screenshot, PDF, rendered DOM (LINKHOME_BROWSER=auto)",
    )
    add.add_argument("--wait", action="store_true", help="wait until the snapshots are done")
    add.add_argument("--json", action="store_true", help="print JSON, one object per link")
    add.add_argument("--user", help="act as this account (default: the first one)")
    add.set_defaults(handler=add_command)
    show = sub.add_parser("show", help="show one snapshot")
    show.add_argument("snapshot_id", type=object_id)
    show.add_argument("--json", action="store_true")
    show.add_argument("--user", help="look as this account (default: the first one)")
    show.set_defaults(handler=show_command)
    lst = sub.add_parser("list", help="list your links")
    lst.add_argument("--tag", action="append", default=[])
    lst.add_argument("--unread", action="store_true", help="only links not marked read")
    lst.add_argument("--starred", action="store_true", help="only starred links")
    shelf = lst.add_mutually_exclusive_group()
    shelf.add_argument("--archived", action="store_true", help="only archived links")
    shelf.add_argument(
        "--not-archived", action="store_true", help="leave archived links out (as the web list)"
    )
    lst.add_argument("--json", action="store_true")
    lst.add_argument("--user")
    lst.set_defaults(handler=list_command)
    delete = sub.add_parser("delete", help="delete links with their snapshots")
    delete.add_argument("link_ids", nargs="+", type=object_id, metavar="LINK_ID")
    delete.add_argument("--json", action="store_true", help="print JSON, one object per link")
    delete.add_argument("--user", help="act as this account (default: the first one)")
    delete.set_defaults(handler=delete_command)
    mark = sub.add_parser("mark", help="mark your links read, starred or archived (or not)")
    mark.add_argument("link_ids", nargs="+", type=object_id, metavar="LINK_ID")
    for name, off, what in (
        ("read", "unread", "read"),
        ("star", "unstar", "starred"),
        ("archive", "unarchive", "archived (out of the default list)"),
    ):
        pair = mark.add_mutually_exclusive_group()
        pair.add_argument(f"--{name}", action="store_true", help=f"mark them {what}")
        pair.add_argument(f"--{off}", action="store_true", help=f"the opposite of --{name}")
    mark.add_argument("--json", action="store_true", help="print JSON, one object per link")
    mark.add_argument("--user", help="act as this account (default: the first one)")
    mark.set_defaults(handler=mark_command)
    save = sub.add_parser(
        "save", help="save someone else's public snapshot as your own link (保存到我的链接)"
    )
    save.add_argument("snapshot_id", type=object_id)
    save.add_argument("--tag", action="append", default=[], help="tag to add (repeatable)")
    save.add_argument("--private", action="store_true", help="only you can see your link")
    save.add_argument("--json", action="store_true")
    save.add_argument("--user", help="act as this account (default: the first one)")
    save.set_defaults(handler=save_command)


def acting_user(name: str | None, *, create: bool = False) -> "User":
    from linkhome.accounts import services

    user = services.user_named(name) if name else services.first_user()
    if user is None and name:
        raise CliError(f"no user named {name!r} (create one with: linkhome createuser {name})")
    if user is None and create:
        user = services.create_user("local")
        print(
            "created the account 'local'; give it a password with: linkhome password local",
            file=sys.stderr,
        )
    if user is None:
        raise CliError("there are no accounts yet (create one with: linkhome createuser NAME)")
    return user


def read_urls(args: argparse.Namespace) -> list[str]:
    urls = list(args.urls)
    if args.file:
        urls += _lines(sys.stdin if args.file == "-" else _open(args.file))
    if not urls:
        raise CliError("give at least one URL (as arguments, or with --file)")
    return urls


def _open(path: str):  # noqa: ANN202 - a text file
    try:
        return open(path, encoding="utf-8")
    except OSError as exc:
        raise CliError(f"cannot read {path}: {exc.strerror}") from exc


def _lines(handle) -> list[str]:  # noqa: ANN001 - a text stream
    with handle:
        return [line.strip() for line in handle if line.strip() and not line.startswith("#")]


def add_command(args: argparse.Namespace) -> int:
    from linkhome.archive.services import any_failed

    urls = read_urls(args)
    user = acting_user(args.user, create=True)
    added, errors = _add_each(user, urls, args)
    snapshot_ids = [a.snapshot.pk for a in added if a.snapshot]
    if args.wait:
        from linkhome.cli.waiting import wait_for

        wait_for(snapshot_ids, quiet=args.json)
    _print_added(user, added, args.json)
    return 1 if errors or (args.wait and any_failed(snapshot_ids)) else 0


def _add_each(
    user: "User", urls: list[str], args: argparse.Namespace
) -> tuple[list["AddedLink"], int]:
    from django.utils.translation import gettext

    from linkhome.archive.signals import CaptureReason
    from linkhome.lib.urls import display_url
    from linkhome.links import services

    # A file is an import: its captures wait behind links a person adds one by one.
    reason = CaptureReason.BULK if args.file else CaptureReason.ADDED
    visibility = "private" if args.private else ("public" if args.public else None)
    added, errors = [], 0
    for url in urls:
        # What a person typed may hold a password (never echoed) or be 10,000 characters long.
        shown = shown_url(display_url(url))
        try:
            one = services.add_link(
                user,
                url,
                tags=args.tag,
                visibility=visibility,
                recapture=args.recapture,
                browser=args.browser,
                reason=reason,
            )
        except ValueError as exc:  # InvalidUrl and LinkError: said, and the rest go on
            errors += 1
            print(f"linkhome: {shown}: {services.explain(exc)}", file=sys.stderr)
            continue
        if one.credentials_removed:
            print(f"linkhome: {shown}: {gettext(services.CREDENTIALS_REMOVED)}", file=sys.stderr)
        added.append(one)
    return added, errors


def _print_added(user: "User", added: list["AddedLink"], as_json: bool) -> None:
    from linkhome.lib.urls import display_url
    from linkhome.links.queries import get_snapshot, link_with_snapshot

    for item in added:
        snapshot = get_snapshot(user, item.snapshot.pk) if item.snapshot else None
        if as_json:
            print(json.dumps(link_with_snapshot(item.link, snapshot), ensure_ascii=False))
        else:
            state = snapshot.status if snapshot else "no snapshot"
            url = display_url(item.link.url)
            print(f"{item.link.pk}\t{snapshot.pk if snapshot else '-'}\t{state}\t{url}")


def show_command(args: argparse.Namespace) -> int:
    from linkhome.links.queries import get_snapshot, link_with_snapshot

    # The same rule as the web and the API: a private snapshot exists only for its owner.
    user = acting_user(args.user)
    snapshot = get_snapshot(user, args.snapshot_id)
    if snapshot is None:
        raise CliError(f"no snapshot {args.snapshot_id}")
    data = link_with_snapshot(snapshot.link, snapshot, user)
    if args.json:
        print(json.dumps(data, ensure_ascii=False))
    else:
        _print_snapshot(data)
    return 0


def _print_snapshot(data: dict) -> None:
    snap = data["snapshot"]
    for key in ("id", "status", "error", "title", "author", "published", "language", "charset"):
        if snap.get(key):
            print(f"{key:>10}: {snap[key]}")
    print(f"{'url':>10}: {data['link']['url']}")
    for artifact in snap["artifacts"]:
        print(f"{'artifact':>10}: {artifact['kind']} {artifact['status']} {artifact['size']} B")
    print()
    print(snap["text"])


def list_command(args: argparse.Namespace) -> int:
    from linkhome.links.queries import link_summary, owned_links

    marks = {"starred": True} if args.starred else {}
    if args.unread:
        marks["read"] = False
    if args.archived or args.not_archived:
        marks["archived"] = bool(args.archived)
    for link in owned_links(acting_user(args.user), args.tag, marks=marks):
        summary = link_summary(link)
        if args.json:
            print(json.dumps(summary, ensure_ascii=False))
        else:
            print(f"{link.pk}\t{summary['title'] or summary['url']}\t{','.join(summary['tags'])}")
    return 0


def delete_command(args: argparse.Namespace) -> int:
    user = acting_user(args.user)
    errors = 0
    for link_id in args.link_ids:
        try:
            deleted = _delete_one(user, link_id)
        except CliError as exc:  # said, and the other links are still deleted
            errors += 1
            print(f"linkhome: {exc}", file=sys.stderr)
            continue
        _print_deleted(deleted, args.json)
    return 1 if errors else 0


def _delete_one(user: "User", link_id: int) -> "DeletedLink":
    from linkhome.links.deletion import delete_link
    from linkhome.links.models import Link
    from linkhome.links.queries import owned_links
    from linkhome.links.services import LinkError

    # The same rule as the web and the API: another person's link does not exist for you.
    link = owned_links(user).filter(pk=link_id).first()
    try:
        if link is None:
            raise Link.DoesNotExist
        return delete_link(link)
    except Link.DoesNotExist as exc:
        raise CliError(f"no link {link_id}") from exc
    except LinkError as exc:  # LinkBusy: being captured right now
        raise CliError(str(exc)) from exc


def _print_deleted(deleted: "DeletedLink", as_json: bool) -> None:
    if as_json:
        print(json.dumps(dataclasses.asdict(deleted), ensure_ascii=False))
    else:
        print(
            f"{deleted.link_id}\tdeleted\t{deleted.url}\t{deleted.snapshots} snapshots, "
            f"{deleted.blobs_removed} blobs, {deleted.bytes_freed} bytes freed"
        )


def _choice(args: argparse.Namespace, on: str, off: str) -> bool | None:
    return True if getattr(args, on) else (False if getattr(args, off) else None)


def mark_command(args: argparse.Namespace) -> int:
    from linkhome.links import bulk
    from linkhome.links.queries import link_summary, owned_links

    user = acting_user(args.user)
    marks = {
        "read": _choice(args, "read", "unread"),
        "starred": _choice(args, "star", "unstar"),
        "archived": _choice(args, "archive", "unarchive"),
    }
    if all(value is None for value in marks.values()):
        raise CliError(
            "say what to mark: --read, --unread, --star, --unstar, --archive, --unarchive"
        )
    result = bulk.mark(user, args.link_ids, **marks)
    found = owned_links(user).filter(pk__in=args.link_ids)
    for link in found:
        summary = link_summary(link)
        if args.json:
            print(json.dumps(summary, ensure_ascii=False))
        else:
            states = [name for name in ("read", "starred", "archived") if summary[name]]
            print(f"{link.pk}\t{','.join(states) or 'unread'}\t{summary['url']}")
    missing = sorted(set(args.link_ids) - {link.pk for link in found})
    for link_id in missing:  # the same rule as the web: another person's link is not there
        print(f"linkhome: no link {link_id}", file=sys.stderr)
    return 1 if result.ignored else 0


def save_command(args: argparse.Namespace) -> int:
    from linkhome.lib.urls import display_url
    from linkhome.links import saving, services
    from linkhome.links.queries import link_with_snapshot

    user = acting_user(args.user)
    try:
        saved = saving.save_to_mine(
            user,
            args.snapshot_id,
            tags=args.tag,
            visibility="private" if args.private else "public",
        )
    except saving.NoSuchSnapshot as exc:
        raise CliError(f"no snapshot {args.snapshot_id}") from exc
    except services.LinkError as exc:
        raise CliError(services.explain(exc)) from exc
    if args.json:
        data = link_with_snapshot(saved.link, saved.snapshot)
        data.update(created=saved.created, shared=saved.shared, capture_queued=saved.capture_queued)
        print(json.dumps(data, ensure_ascii=False))
    else:
        how = "merged" if not saved.created else ("shared" if saved.shared else "queued")
        snapshot = saved.snapshot.pk if saved.snapshot else "-"
        print(f"{saved.link.pk}\t{snapshot}\t{how}\t{display_url(saved.link.url)}")
    return 0
