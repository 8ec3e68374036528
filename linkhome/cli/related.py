"""`linkhome related SNAPSHOT_ID`: parse, call linkhome.recommend, print."""

import argparse
import json

from linkhome.cli.arguments import MAX_RELATED_LIMIT, bounded, object_id
from linkhome.cli.errors import CliError


def register(sub: argparse._SubParsersAction) -> None:
    related = sub.add_parser("related", help="snapshots related to one snapshot (相关文章推荐)")
    related.add_argument("snapshot_id", type=object_id, metavar="SNAPSHOT_ID")
    related.add_argument("--json", action="store_true", help="print JSON, one object per line")
    related.add_argument("--user", help="look as this account (default: the first one)")
    related.add_argument(
        "--limit", type=bounded(1, MAX_RELATED_LIMIT), default=8, help="how many (1-50)"
    )
    related.set_defaults(handler=related_command)


def related_command(args: argparse.Namespace) -> int:
    from linkhome.cli.links import acting_user
    from linkhome.links.queries import get_snapshot
    from linkhome.recommend.related import related_summaries

    user = acting_user(args.user)
    # The same rule as the web and the API: a private snapshot exists only for its owner.
    snapshot = get_snapshot(user, args.snapshot_id)
    if snapshot is None:
        raise CliError(f"no snapshot {args.snapshot_id}")
    for item in related_summaries(snapshot, max(1, min(args.limit, 50))):
        if args.json:
            print(json.dumps(item, ensure_ascii=False))
        else:
            print(
                f"{item['snapshot_id']}\t{item['score']:.3f}\t{item['title']}\t{item['url']}"
                f"\t{item['nickname']}"
            )
    return 0
