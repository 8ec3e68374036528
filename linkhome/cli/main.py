"""The `linkhome` command: a thin adapter over the same services as the web and the API."""

import argparse
import os
import sys
from collections.abc import Sequence

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.utils import translation

from linkhome import bootstrap
from linkhome.cli.errors import CliError


def build_parser() -> argparse.ArgumentParser:
    from linkhome.cli import (
        exports,
        history,
        links,
        notify,
        related,
        search,
        server,
        storage,
        subscriptions,
        transfer,
        users,
        watch,
    )

    parser = argparse.ArgumentParser(
        prog="linkhome", description="LinkHome (link之家) link snapshots"
    )
    sub = parser.add_subparsers(dest="command", required=True)
    modules = (
        server,
        users,
        links,
        search,
        related,
        history,
        exports,
        transfer,
        subscriptions,
        storage,
        watch,
        notify,
    )
    for module in modules:
        module.register(sub)
    return parser


def terminal_language() -> str:
    """The language of messages for a person at a terminal, from the first locale variable
    that names one (LANGUAGE, LC_ALL, LC_MESSAGES, LANG, as gettext reads them): Chinese
    under zh_*, English under en_*; otherwise (unset, C, POSIX) the instance's default."""
    for name in ("LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG"):
        value = os.environ.get(name, "").lower()
        if value.startswith("zh"):
            return "zh-hans"
        if value.startswith("en"):
            return "en"
    return settings.LANGUAGE_CODE


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        bootstrap.ready()
        with translation.override(terminal_language()):
            return int(args.handler(args) or 0)
    except (CliError, ImproperlyConfigured) as exc:
        print(f"linkhome: {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    sys.exit(main())
