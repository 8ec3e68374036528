"""`linkhome diff SNAPSHOT_A SNAPSHOT_B`: parse, call linkhome.history.compare, print."""

import argparse
import json

from django.utils.timezone import localtime

from linkhome.cli.arguments import object_id
from linkhome.cli.errors import CliError

# git's --word-diff=plain markers: what was removed and what was added, inline.
MARKS = {"equal": ("", ""), "delete": ("[-", "-]"), "insert": ("{+", "+}")}


def register(sub: argparse._SubParsersAction) -> None:
    diff = sub.add_parser("diff", help="what changed in the main text from one snapshot to another")
    diff.add_argument("snapshot_a", type=object_id, metavar="SNAPSHOT_A")
    diff.add_argument("snapshot_b", type=object_id, metavar="SNAPSHOT_B")
    diff.add_argument(
        "--json",
        action="store_true",
        help='print {"a", "b", "changed", "ratio", "added", "removed", "hunks"}',
    )
    diff.add_argument("--user", help="look as this account (default: the first one)")
    diff.set_defaults(handler=diff_command)


def diff_command(args: argparse.Namespace) -> int:
    from linkhome.cli.links import acting_user
    from linkhome.history.compare import (
        CompareError,
        compare_snapshots,
        screenshot_summary,
        summary,
    )
    from linkhome.links.services import explain

    user = acting_user(args.user)
    # The same rule as the web and the API: a private snapshot exists only for its owner.
    try:
        comparison = compare_snapshots(user, args.snapshot_a, args.snapshot_b)
    except CompareError as exc:
        raise CliError(explain(exc)) from exc
    if args.json:
        print(json.dumps(comparison.as_dict(), ensure_ascii=False))
        return 0
    a, b = comparison.a, comparison.b
    print(f"A {a.pk} ({_when(a)}) → B {b.pk} ({_when(b)})")
    print(summary(comparison.diff))
    if comparison.screenshot is not None:
        print(screenshot_summary(comparison.screenshot))
    for hunk in comparison.diff.hunks:
        print(f"@@ A ¶{hunk.a_start + 1}-{hunk.a_end} → B ¶{hunk.b_start + 1}-{hunk.b_end} @@")
        print("".join(f"{MARKS[p.op][0]}{p.text}{MARKS[p.op][1]}" for p in hunk.parts))
    return 0


def _when(snapshot: object) -> str:
    return localtime(snapshot.created_at).strftime("%Y-%m-%d %H:%M")  # type: ignore[attr-defined]
