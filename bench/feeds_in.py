"""Feeds in: what one check of a subscribed feed costs, in-process against a feed served by
the local HTTP server (real sockets), on SQLite in a fresh data directory: the first check
of a feed of N entries (all new: links saved, captures queued in the bulk lane), a check
answered 304, a check of the same feed with a new ETag and nothing new, and one with ten
new entries. Time and database queries of each.

    python bench/feeds_in.py [--entries 100] [--rounds 10]   → prints one JSON object

Asserts nothing about time.
"""

import argparse
import json
import os
import shutil
import statistics
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path

BENCH = Path(__file__).resolve().parent


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--entries", type=int, default=100)
    parser.add_argument("--rounds", type=int, default=10)
    args = parser.parse_args()
    data_dir = Path(tempfile.mkdtemp(prefix="linkhome-bench-feeds-in-"))
    os.environ["LINKHOME_DATA_DIR"] = str(data_dir)
    os.environ.pop("DATABASE_URL", None)
    os.environ["LINKHOME_ALLOW_PRIVATE_NETWORKS"] = "1"  # the feed is on 127.0.0.1
    os.environ["LINKHOME_HOST_DELAY"] = "0"  # politeness is not what is measured
    os.environ["LINKHOME_FEED_MAX_ENTRIES"] = str(max(args.entries, 1))
    try:
        print(json.dumps(measure(args.entries, args.rounds)))
    finally:
        shutil.rmtree(data_dir, ignore_errors=True)


def measure(size: int, rounds: int) -> dict:
    sys.path.insert(0, str(BENCH.parent))
    from linkhome import bootstrap

    bootstrap.ready()
    from django.db import connection
    from django.utils import timezone

    from linkhome.accounts.services import create_user
    from linkhome.imports import feeds, polling
    from linkhome.imports.models import Subscription
    from linkhome.testing.feed_site import FeedSite, rss
    from linkhome.testing.http import LocalHTTPServer

    def items(start: int, count: int) -> list:
        return [
            (f"https://blog.example.org/{n}", f"第 {n} 篇", None)
            for n in range(start + count - 1, start - 1, -1)
        ]

    def check() -> tuple[float, int]:
        Subscription.objects.update(next_check_at=timezone.now() - timedelta(seconds=1))
        queries: list[str] = []
        with connection.execute_wrapper(_counting(queries)):
            started = time.perf_counter()
            assert polling.poll_due(1, "bench") == 1
            elapsed = time.perf_counter() - started
        return elapsed * 1000, len(queries)

    owner = create_user("bench")
    with LocalHTTPServer() as server:
        # Warm-up: the first links saved in a process import the worker's dispatch and
        # the index's receivers (about a second), which is not what one check costs.
        warm = FeedSite(server, "/warm.xml")
        warm.body = rss("Warm", [("https://warm.example.org/1", "w", None)])
        feeds.subscribe(owner, warm.url)
        check()
        Subscription.objects.all().delete()
        site = FeedSite(server)
        site.body = rss("Bench", items(0, size))
        feeds.subscribe(owner, site.url, tags=["bench"])
        first_ms, first_queries = check()
        not_modified = [check() for _ in range(rounds)]
        site.body += b" "
        same_ms, same_queries = check()
        site.body = rss("Bench", items(size, 10) + items(0, size - 10))
        new_ms, new_queries = check()
    sub = Subscription.objects.get(url=site.url)
    assert sub.added == size + 10, sub.added
    return {
        "entries": size,
        "feed_bytes": len(site.body),
        "first_check": {"ms": round(first_ms, 1), "queries": first_queries},
        "not_modified_304": {
            "median_ms": round(statistics.median(t for t, _ in not_modified), 1),
            "queries": not_modified[0][1],
        },
        "changed_etag_nothing_new": {"ms": round(same_ms, 1), "queries": same_queries},
        "ten_new_entries": {"ms": round(new_ms, 1), "queries": new_queries},
    }


def _counting(queries: list[str]):  # noqa: ANN202 - a database execute wrapper
    def count(execute, sql, params, many, context):  # noqa: ANN001, ANN202
        queries.append(sql)
        return execute(sql, params, many, context)

    return count


if __name__ == "__main__":
    main()
