"""Related articles and tag suggestions, measured through the product's own path.

Each corpus (topics-zh/thucnews, topics-en/bbc, topics-en/kpcrowd) is wrapped document by
document in a simple HTML page (<title>, <h1>, <p> paragraphs), served from 127.0.0.1, added
with links.services.add_link and captured by the real pipeline (assets off), which indexes
it and computes its profile through the same signals as a worker. Then every document is
the query once (the corpus README's rule):
- related: precision@5/@10 = share of related_snapshots() with the query's topic (missing
  slots count as wrong), with the lists as the captures left them (ranked at each capture,
  offered to older neighbours: recommend.neighbours), and the time of each call (a view);
- tags (kpcrowd): suggest_tags() against the crowd keyphrases, NFKC + lower case + spaces
  collapsed, exact match: precision@N = hits/N, recall@N = hits/|gold|, macro-averaged.
`--scale N` also times related at N documents resampled from the corpus texts (bulk
inserted and indexed with the product's rebuild, not captured one by one): the ranking a
capture does (neighbours.rank) and the view that reads its result (related_snapshots).

Each corpus runs in a fresh process and data directory (SQLite, or PostgreSQL with
--backend postgres). Prints one JSON object; asserts nothing. The pages and the measures are
``linkhome/testing/recommend_quality.py``, which tests/test_recommend_quality.py imports too.
Usage: python bench/recommend_quality.py [--corpora thucnews,bbc,kpcrowd] [--limit N]
       [--scale 100000] [--backend sqlite|postgres]
"""

import argparse
import json
import os
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
from linkhome.testing.recommend_quality import FILES, SEED, evaluate, latency  # noqa: E402

PG_ADMIN = "postgres://postgres@127.0.0.1:5432/postgres"
PG_BENCH_DB = "linkhome_bench_recommend"


# --- at scale: resampled documents, bulk-inserted -----------------------------------------


def at_scale(size: int) -> dict:
    """Related latency at `size` documents, loaded like bench/search.py loads them."""
    from linkhome.recommend import profiles
    from linkhome.search import api

    search_bench = _search_bench()
    rng = random.Random(SEED)
    search_bench.load(search_bench.resample(size, rng), rng)
    started = time.perf_counter()
    api.rebuild()
    index_s = time.perf_counter() - started
    search_bench.analyze_postgres()
    started = time.perf_counter()
    profiles.rebuild()
    profile_s = time.perf_counter() - started
    return {"documents": size, "index_s": round(index_s), "profiles_s": round(profile_s)} | (
        _time_related(rng, 300)
    )


def _search_bench():  # noqa: ANN202 - bench/search.py's loader, so both measure the same data
    import importlib.util

    spec = importlib.util.spec_from_file_location("search_bench", ROOT / "bench" / "search.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _time_related(rng: random.Random, count: int) -> dict:
    """Rank a sample of links (what each capture does), then view them (what each page
    view does)."""
    from django.contrib.auth.models import User

    from linkhome.archive.models import Snapshot
    from linkhome.recommend import neighbours
    from linkhome.recommend.related import related_snapshots

    ids = list(Snapshot.objects.values_list("pk", flat=True))
    sample = [Snapshot.objects.select_related("link").get(pk=pk) for pk in rng.sample(ids, count)]
    ranking = [_timed(neighbours.rank, [s.link_id]) for s in sample]
    viewer = User.objects.order_by("pk").first()
    views = [_timed(related_snapshots, viewer, s) for s in sample]
    return latency(views) | latency(ranking, "ranking_at_capture") | {"timed": count}


def _timed(function, *args) -> float:  # noqa: ANN001
    started = time.perf_counter()
    function(*args)
    return time.perf_counter() - started


# --- processes ---------------------------------------------------------------------------


def child(args: argparse.Namespace) -> dict:
    os.environ.setdefault("LINKHOME_CAPTURE_ASSETS", "0")
    os.environ.setdefault("LINKHOME_ALLOW_PRIVATE_NETWORKS", "1")
    from linkhome import bootstrap

    bootstrap.ready()
    if args.child == "scale":
        return at_scale(args.scale)
    from linkhome.accounts.services import create_user

    return evaluate(args.child, args.limit, create_user("bench", "bench-password"))


def spawn(what: str, args: argparse.Namespace) -> dict:
    data_dir = tempfile.mkdtemp(prefix="linkhome-bench-recommend-")
    env = {**os.environ, "LINKHOME_DATA_DIR": data_dir, "LINKHOME_LOG_LEVEL": "ERROR"}
    env.pop("DATABASE_URL", None)
    if args.backend == "postgres":
        _fresh_postgres()
        env["DATABASE_URL"] = PG_ADMIN.rsplit("/", 1)[0] + "/" + PG_BENCH_DB
    command = [sys.executable, __file__, "--child", what, "--scale", str(args.scale)]
    command += ["--limit", str(args.limit)] if args.limit else []
    out = subprocess.run(command, env=env, capture_output=True, text=True, check=True, cwd=ROOT)
    return json.loads(out.stdout.strip().splitlines()[-1])


def _fresh_postgres() -> None:
    import psycopg

    with psycopg.connect(PG_ADMIN, autocommit=True) as conn:
        conn.execute(f"DROP DATABASE IF EXISTS {PG_BENCH_DB}")
        conn.execute(f"CREATE DATABASE {PG_BENCH_DB}")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--corpora", default=",".join(FILES))
    parser.add_argument("--limit", type=int, default=0, help="documents per corpus (0: all)")
    parser.add_argument("--scale", type=int, default=0, help="also time related at N docs")
    parser.add_argument("--backend", default="sqlite", choices=("sqlite", "postgres"))
    parser.add_argument("--child", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(child(args)))
        return
    results = {"backend": args.backend, "corpora": []}
    for name in filter(None, args.corpora.split(",")):
        results["corpora"].append(spawn(name, args))
    if args.scale:
        results["scale"] = spawn("scale", args)
    print(json.dumps(results, indent=1, ensure_ascii=False))


if __name__ == "__main__":
    main()
