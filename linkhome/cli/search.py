"""`linkhome search` and `linkhome reindex`: parse, call linkhome.search.api, print."""

import argparse
import json
import re
import sys
from html import unescape
from typing import TYPE_CHECKING

from linkhome.cli.arguments import MAX_SEARCH_LIMIT, MAX_SEARCH_OFFSET, bounded
from linkhome.cli.errors import CliError

if TYPE_CHECKING:
    from rich.text import Text

    from linkhome.search.api import SearchHit, SearchResults


def register(sub: argparse._SubParsersAction) -> None:
    search = sub.add_parser("search", help="search your links and public ones")
    search.add_argument(
        "query",
        nargs="+",
        metavar="QUERY",
        help='words, "phrases", -word, tag:, site:, before:/after:YYYY-MM-DD, is:mine',
    )
    search.add_argument("--json", action="store_true", help="print JSON, one object per result")
    search.add_argument("--user", help="search as this account (default: the first one)")
    search.add_argument(
        "--limit", type=bounded(1, MAX_SEARCH_LIMIT), default=20, help="results to show (1-100)"
    )
    search.add_argument(
        "--offset",
        type=bounded(0, MAX_SEARCH_OFFSET),
        default=0,
        help="skip this many results (at most 10000)",
    )
    search.set_defaults(handler=search_command)
    reindex = sub.add_parser("reindex", help="rebuild the whole search index")
    reindex.set_defaults(handler=reindex_command)


def search_command(args: argparse.Namespace) -> int:
    from linkhome.cli.links import acting_user
    from linkhome.search import api

    user = acting_user(args.user)
    try:
        results = api.search(user, " ".join(args.query), offset=args.offset, limit=args.limit)
    except api.QueryError as exc:
        raise CliError(str(exc)) from exc
    if args.json:
        for hit in results.hits:
            print(json.dumps(_json(hit), ensure_ascii=False))
    else:
        _print(results)
    return 0


def _json(hit: "SearchHit") -> dict:
    from linkhome.search.highlight import strip_marks

    return hit.as_dict() | {"snippet_text": strip_marks(hit.snippet)}


def _print(results: "SearchResults") -> None:
    from rich.console import Console

    console = Console(highlight=False, soft_wrap=True)
    for hit in results.hits:
        console.print(f"{hit.snapshot_id}\t{hit.score:.3f}\t{hit.title}\t{hit.url}", markup=False)
        console.print(_marked("    ", hit.snippet))
    shown = results.offset + len(results.hits)
    more = f"; more with --offset {shown}" if results.has_more else ""
    total = f"{results.total}{'+' if results.total_capped else ''}"
    print(f"{shown} of {total} results{more}", file=sys.stderr)


def _marked(indent: str, html: str) -> "Text":
    """The snippet with its hits in bold on a terminal (plain text elsewhere)."""
    from rich.text import Text

    text = Text(indent)
    for n, piece in enumerate(re.split(r"</?mark>", html)):
        text.append(unescape(piece), style="bold yellow" if n % 2 else "")
    return text


def reindex_command(args: argparse.Namespace) -> int:
    from rich.progress import Progress

    from linkhome.search import api

    with Progress(transient=True) as progress:
        bar = progress.add_task("indexing", total=None)
        count = api.rebuild(lambda done, total: progress.update(bar, completed=done, total=total))
    print(f"indexed {count} links")
    return 0
