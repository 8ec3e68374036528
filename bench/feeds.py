"""Feeds at scale: each feed's time and query count on a seeded instance (bench/web_seed.py:
links over eight people, one in seven private, a shared tag on one in three, real article
text), in-process through Django's test client (no HTTP server), after one warm-up request.

    python bench/feeds.py [--sizes 1000,10000] [--rounds 20]   → prints one JSON object

Asserts nothing about time.
"""

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

BENCH = Path(__file__).resolve().parent
PYTHON = sys.executable


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", default="1000,10000")
    parser.add_argument("--rounds", type=int, default=20)
    parser.add_argument("--measure", help=argparse.SUPPRESS)  # the child: a seeded data dir
    args = parser.parse_args()
    if args.measure:
        print(json.dumps(measure(json.loads(args.measure), args.rounds)))
        return
    results = []
    for size in [int(s) for s in args.sizes.split(",")]:
        data_dir = Path(tempfile.mkdtemp(prefix="linkhome-bench-feeds-"))
        try:
            env = {**os.environ, "LINKHOME_DATA_DIR": str(data_dir)}
            env.pop("DATABASE_URL", None)  # SQLite in the data directory
            env.pop("DJANGO_SETTINGS_MODULE", None)
            seed = _last_json(_run([PYTHON, str(BENCH / "web_seed.py"), str(size)], env))
            child = [PYTHON, __file__, "--measure", json.dumps(seed), "--rounds", str(args.rounds)]
            results.append({"links": size, **_last_json(_run(child, env))})
        finally:
            shutil.rmtree(data_dir, ignore_errors=True)
    print(json.dumps({"feeds": results}, ensure_ascii=False))


def measure(seed: dict, rounds: int) -> dict:
    sys.path.insert(0, str(BENCH.parent))
    from linkhome import bootstrap

    bootstrap.ready()
    from django.conf import settings
    from django.db import connection
    from django.test import Client
    from django.urls import reverse

    from linkhome.accounts.services import new_feed_address, user_named

    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    reader = user_named(seed["username"])
    assert reader is not None
    secret = new_feed_address(reader)
    feeds = {
        "latest": reverse("latest_feed", kwargs={"fmt": "atom"}),
        "person": reverse("person_feed", kwargs={"user_id": reader.pk, "fmt": "rss"}),
        "tag": reverse("tag_feed", kwargs={"name": seed["tag"], "fmt": "atom"}),
        "search": reverse("search_feed", kwargs={"fmt": "atom"}) + "?q=tag:" + seed["tag"],
        "private": reverse("private_feed", kwargs={"secret": secret, "fmt": "atom"}),
    }
    client, out = Client(), {"items": settings.FEED_ITEMS}
    for name, url in feeds.items():
        first = client.get(url)  # warm-up (the search index is built on first use)
        assert first.status_code == 200, (url, first.status_code)
        queries: list[str] = []
        with connection.execute_wrapper(_counting(queries)):
            client.get(url)
        times = []
        for _ in range(rounds):
            started = time.perf_counter()
            client.get(url)
            times.append(time.perf_counter() - started)
        started = time.perf_counter()
        not_modified = client.get(url, HTTP_IF_NONE_MATCH=first["ETag"])
        revalidate = time.perf_counter() - started
        assert not_modified.status_code == 304
        out[name] = {
            "entries": first.content.count(b"<entry>") + first.content.count(b"<item>"),
            "bytes": len(first.content),
            "queries": len(queries),
            "median_ms": round(statistics.median(times) * 1000, 1),
            "max_ms": round(max(times) * 1000, 1),
            "304_ms": round(revalidate * 1000, 1),
        }
    return out


def _counting(queries: list[str]):  # noqa: ANN202 - a database execute wrapper
    def count(execute, sql, params, many, context):  # noqa: ANN001, ANN202
        queries.append(sql)
        return execute(sql, params, many, context)

    return count


def _run(command: list[str], env: dict) -> str:
    done = subprocess.run(command, env=env, capture_output=True, text=True, check=False)
    if done.returncode:
        sys.exit(f"{command[1]} failed:\n{done.stderr[-3000:]}")
    return done.stdout


def _last_json(output: str) -> dict:
    return json.loads(output.strip().splitlines()[-1])


if __name__ == "__main__":
    main()
