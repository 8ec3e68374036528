"""The `linkhome` command: a thin adapter over the same services as the web and the API."""

import argparse
import sys
from collections.abc import Sequence

from django.core.exceptions import ImproperlyConfigured

from linkhome import bootstrap
from linkhome.cli.errors import CliError


def build_parser() -> argparse.ArgumentParser:
    from linkhome.cli import exports, links, related, search, server, users

    parser = argparse.ArgumentParser(
        prog="linkhome", description="LinkHome (link之家) link snapshots"
    )
    sub = parser.add_subparsers(dest="command", required=True)
    for module in (server, users, links, search, related, exports):
        module.register(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        bootstrap.ready()
        _speak_the_terminals_language()
        return int(args.handler(args) or 0)
    except (CliError, ImproperlyConfigured) as exc:
        print(f"linkhome: {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130


def _speak_the_terminals_language() -> None:
    """Translated messages (password rules, say) in the language of the person's locale
    (LANGUAGE, LC_ALL, LC_MESSAGES, LANG, as gettext reads them); Chinese otherwise."""
    import os

    from django.utils import translation

    for name in ("LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG"):
        value = os.environ.get(name, "").lower()
        if value.startswith("en"):
            translation.activate("en")
            return
        if value.startswith("zh"):
            translation.activate("zh-hans")
            return


if __name__ == "__main__":
    sys.exit(main())
