"""`linkhome subscribe URL | --opml FILE`, `linkhome subscriptions`, `linkhome unsubscribe
ID`: feeds in, through the same services (imports.feeds) as the 订阅 page and the API. The
worker checks the feeds (its poll-feeds job); these commands only say what to follow."""

import argparse
import json
from pathlib import Path

from linkhome.cli.arguments import object_id
from linkhome.cli.errors import CliError


def register(sub: argparse._SubParsersAction) -> None:
    follow = sub.add_parser(
        "subscribe",
        help="follow an RSS or Atom feed (or every feed of an OPML file): its new entries "
        "become your links",
    )
    follow.add_argument("url", nargs="?", metavar="URL", help="the feed's address")
    follow.add_argument("--opml", metavar="FILE", help="follow every feed this OPML file lists")
    follow.add_argument(
        "--tag", action="append", default=[], help="tag every link it adds (repeatable)"
    )
    seen_by = follow.add_mutually_exclusive_group()
    seen_by.add_argument("--private", action="store_true", help="the links it adds are private")
    seen_by.add_argument("--public", action="store_true", help="the links it adds are public")
    follow.add_argument("--json", action="store_true", help="print the result as JSON")
    follow.add_argument("--user", help="act as this account (default: the first one)")
    follow.set_defaults(handler=subscribe_command)
    listing = sub.add_parser("subscriptions", help="your feed subscriptions and their last check")
    listing.add_argument("--json", action="store_true", help="print them as JSON")
    listing.add_argument("--user", help="act as this account (default: the first one)")
    listing.set_defaults(handler=subscriptions_command)
    stop = sub.add_parser("unsubscribe", help="stop following a feed (its links stay yours)")
    stop.add_argument("subscription_id", type=object_id, metavar="ID")
    stop.add_argument("--user", help="act as this account (default: the first one)")
    stop.set_defaults(handler=unsubscribe_command)


def subscribe_command(args: argparse.Namespace) -> int:
    from linkhome.cli.links import acting_user
    from linkhome.imports import feeds
    from linkhome.links.services import explain

    if bool(args.url) == bool(args.opml):
        raise CliError("give either a feed's address or --opml FILE")
    user = acting_user(args.user, create=True)
    visibility = "private" if args.private else "public" if args.public else None
    try:
        if args.opml:
            try:
                with Path(args.opml).open("rb") as source:
                    done = feeds.import_opml(user, source, tags=args.tag, visibility=visibility)
            except OSError as exc:
                raise CliError(f"cannot read {args.opml}: {exc.strerror}") from exc
            return _said_opml(done, as_json=args.json)
        made = feeds.subscribe(user, args.url, tags=args.tag, visibility=visibility)
    except ValueError as exc:  # InvalidUrl, LinkError
        raise CliError(explain(exc)) from exc
    if args.json:
        print(
            json.dumps(
                {**feeds.summary(made.subscription), "created": made.created}, ensure_ascii=False
            )
        )
    else:
        state = "subscribed" if made.created else "followed already"
        print(f"{made.subscription.pk} {state} {made.subscription.url}")
    return 0


def _said_opml(done, *, as_json: bool) -> int:  # noqa: ANN001
    from linkhome.imports import feeds

    if as_json:
        print(
            json.dumps(
                {
                    "subscribed": [feeds.summary(s) for s in done.subscribed],
                    "existing": [s.pk for s in done.existing],
                    "refused": [{"url": u, "reason": r} for u, r in done.refused],
                },
                ensure_ascii=False,
            )
        )
    else:
        for sub in done.subscribed:
            print(f"{sub.pk} subscribed {sub.url}")
        for sub in done.existing:
            print(f"{sub.pk} followed already {sub.url}")
        for url, reason in done.refused:
            print(f"refused {url}: {reason}")
    return 0


def subscriptions_command(args: argparse.Namespace) -> int:
    from linkhome.cli.links import acting_user
    from linkhome.imports import feeds

    user = acting_user(args.user)
    rows = list(feeds.subscriptions_of(user))
    if args.json:
        print(json.dumps([feeds.summary(s) for s in rows], ensure_ascii=False))
        return 0
    for sub in rows:
        checked = sub.checked_at.strftime("%Y-%m-%d %H:%M") if sub.checked_at else "-"
        result = feeds.result_text(sub) if sub.result else "-"
        print(
            f"{sub.pk}\t{sub.title or sub.url}\t{sub.visibility}\t{checked}\t{result}"
            f"\tnext {sub.next_check_at:%Y-%m-%d %H:%M}\t+{sub.added}"
        )
    return 0


def unsubscribe_command(args: argparse.Namespace) -> int:
    from linkhome.cli.links import acting_user
    from linkhome.imports import feeds

    user = acting_user(args.user)
    try:
        feeds.unsubscribe(user, args.subscription_id)
    except feeds.NoSuchSubscription as exc:
        raise CliError(f"no subscription {args.subscription_id}") from exc
    print(f"unsubscribed {args.subscription_id}")
    return 0
