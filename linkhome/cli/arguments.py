"""Bounded whole-number options: a value out of range is a usage error naming the range,
never a crash deep in the database (SQLite and PostgreSQL integers stop at 2**63-1)."""

import argparse
from collections.abc import Callable

MAX_ID = 2**63 - 1  # the largest row id either database stores
MAX_SEARCH_OFFSET = 10_000
MAX_SEARCH_LIMIT = 100
MAX_RELATED_LIMIT = 50
MAX_PROCESSES = 64
MAX_PORT = 65535
MAX_TASKS = 1_000_000_000


def bounded(low: int, high: int) -> Callable[[str], int]:
    """An argparse `type` for a whole number from `low` to `high`."""

    def parse(text: str) -> int:
        try:
            value = int(text.strip())
        except ValueError:
            raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None
        if not low <= value <= high:
            raise argparse.ArgumentTypeError(f"{text} is not from {low} to {high}")
        return value

    parse.__name__ = f"whole number from {low} to {high}"  # argparse names the type
    return parse


object_id = bounded(1, MAX_ID)
