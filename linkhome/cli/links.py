"""`linkhome add`, `show` and `list`."""

import argparse
import json
import sys

from linkhome.cli.errors import CliError


def register(sub: argparse._SubParsersAction) -> None:
    add = sub.add_parser("add", help="save links and queue their snapshots")
    add.add_argument("urls", nargs="*", metavar="URL")
    add.add_argument("--file", help="read URLs from a file, one per line ('-' for stdin)")
    add.add_argument("--tag", action="append", default=[], help="tag to add (repeatable)")
    add.add_argument("--private", action="store_true", help="only you can see these links")
    add.add_argument("--recapture", action="store_true", help="capture again if already saved")
    add.add_argument("--wait", action="store_true", help="wait until the snapshots are done")
    add.add_argument("--json", action="store_true", help="print JSON")
    add.add_argument("--user", help="act as this account (default: the first one)")
    add.set_defaults(handler=add_command)
    show = sub.add_parser("show", help="show one snapshot")
    show.add_argument("snapshot_id", type=int)
    show.add_argument("--json", action="store_true")
    show.set_defaults(handler=show_command)
    lst = sub.add_parser("list", help="list your links")
    lst.add_argument("--tag", action="append", default=[])
    lst.add_argument("--json", action="store_true")
    lst.add_argument("--user")
    lst.set_defaults(handler=list_command)


def acting_user(name: str | None, *, create: bool = False):  # noqa: ANN201 - a User
    from django.contrib.auth import get_user_model

    from linkhome.accounts import services

    if name:
        user = get_user_model().objects.filter(username=name).first()
        if user is None:
            raise CliError(f"no user named {name!r} (create one with: linkhome createuser {name})")
        return user
    user = services.first_user()
    if user is None and create:
        user = services.create_user("local")
        print(
            "created the account 'local'; set its password with: "
            "linkhome createuser ... or the admin site",
            file=sys.stderr,
        )
    if user is None:
        raise CliError("there are no accounts yet (create one with: linkhome createuser NAME)")
    return user


def read_urls(args: argparse.Namespace) -> list[str]:
    urls = list(args.urls)
    if args.file:
        handle = sys.stdin if args.file == "-" else open(args.file, encoding="utf-8")  # noqa: SIM115
        with handle:
            urls += [line.strip() for line in handle if line.strip() and not line.startswith("#")]
    if not urls:
        raise CliError("give at least one URL (as arguments, or with --file)")
    return urls


def add_command(args: argparse.Namespace) -> int:
    from linkhome.links import services

    urls = read_urls(args)
    user = acting_user(args.user, create=True)
    visibility = "private" if args.private else "public"
    added, errors = _add_each(services, user, urls, args, visibility)
    snapshot_ids = [a.snapshot.pk for a in added if a.snapshot]
    if args.wait:
        from linkhome.cli.waiting import wait_for

        wait_for(snapshot_ids, quiet=args.json)
    _print_added(added, args.json)
    return 1 if errors or (args.wait and _any_failed(snapshot_ids)) else 0


def _add_each(services, user, urls: list[str], args: argparse.Namespace, visibility: str):  # noqa: ANN001,ANN202
    added, errors = [], 0
    for url in urls:
        try:
            added.append(
                services.add_link(
                    user, url, tags=args.tag, visibility=visibility, recapture=args.recapture
                )
            )
        except ValueError as exc:
            errors += 1
            print(f"linkhome: {url}: {exc}", file=sys.stderr)
    return added, errors


def _any_failed(snapshot_ids: list[int]) -> bool:
    from linkhome.capture.models import Snapshot, SnapshotStatus

    return Snapshot.objects.filter(pk__in=snapshot_ids, status=SnapshotStatus.FAILED).exists()


def _print_added(added: list, as_json: bool) -> None:
    from linkhome.links.queries import link_with_snapshot

    for item in added:
        snapshot = _fresh(item.snapshot)
        if as_json:
            print(json.dumps(link_with_snapshot(item.link, snapshot), ensure_ascii=False))
        else:
            state = snapshot.status if snapshot else "no snapshot"
            print(f"{item.link.pk}\t{snapshot.pk if snapshot else '-'}\t{state}\t{item.link.url}")


def _fresh(snapshot):  # noqa: ANN001,ANN202
    if snapshot is None:
        return None
    from linkhome.links.queries import get_snapshot

    return get_snapshot(snapshot.link.owner, snapshot.pk)


def show_command(args: argparse.Namespace) -> int:
    from linkhome.capture.models import Snapshot
    from linkhome.links.queries import link_with_snapshot

    snapshot = Snapshot.objects.select_related("link").filter(pk=args.snapshot_id).first()
    if snapshot is None:
        raise CliError(f"no snapshot {args.snapshot_id}")
    data = link_with_snapshot(snapshot.link, snapshot)
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
    from linkhome.links.queries import latest_snapshot, link_summary, owned_links

    user = acting_user(args.user)
    for link in owned_links(user, args.tag):
        summary = link_summary(link)
        if args.json:
            print(json.dumps(summary, ensure_ascii=False))
        else:
            snap = latest_snapshot(link)
            print(
                f"{link.pk}\t{snap.status if snap else '-'}\t{summary['title'] or link.url}\t{','.join(summary['tags'])}"
            )
    return 0
