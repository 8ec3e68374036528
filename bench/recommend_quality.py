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
--backend postgres). Prints one JSON object; asserts nothing.
Usage: python bench/recommend_quality.py [--corpora thucnews,bbc,kpcrowd] [--limit N]
       [--scale 100000] [--backend sqlite|postgres]
"""

import argparse
import html
import json
import os
import random
import re
import statistics
import subprocess
import sys
import tempfile
import time
import unicodedata
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
from linkhome.testing.corpus import corpus_dir  # noqa: E402

FILES = {
    "thucnews": "topics-zh/thucnews.jsonl",
    "bbc": "topics-en/bbc.jsonl",
    "kpcrowd": "topics-en/kpcrowd.jsonl",
}
SEED = 20240611
PG_ADMIN = "postgres://postgres@127.0.0.1:5432/postgres"
PG_BENCH_DB = "linkhome_bench_recommend"


# --- documents as pages ----------------------------------------------------------------


def documents(name: str, limit: int | None = None) -> list[dict]:
    """The corpus's documents; a fixed random sample of `limit` of them (files are sorted
    by topic, so the first N would be one topic)."""
    with open(corpus_dir() / FILES[name], encoding="utf-8") as lines:
        docs = [json.loads(line) for line in lines]
    return random.Random(SEED).sample(docs, limit) if limit and limit < len(docs) else docs


def paragraphs(text: str) -> list[str]:
    """Newline-separated paragraphs; Chinese text without any is cut every few sentences."""
    lines = [line.strip() for line in text.split("\n") if line.strip()]
    if len(lines) > 1:
        return lines
    sentences = [s for s in re.split(r"(?<=[。！？])", text) if s.strip()]
    return ["".join(sentences[i : i + 3]) for i in range(0, len(sentences), 3)] or [text]


def page(doc: dict) -> bytes:
    parts = paragraphs(doc["text"])
    title = html.escape(doc["title"] or parts[0][:30])
    body = "".join(f"<p>{html.escape(p)}</p>\n" for p in parts)
    return (
        f'<!doctype html><html><head><meta charset="utf-8"><title>{title}</title></head>'
        f"<body><article><h1>{title}</h1>\n{body}</article></body></html>"
    ).encode()


def serve(server, docs: list[dict]) -> list[str]:  # noqa: ANN001 - a LocalHTTPServer
    headers = [("Content-Type", "text/html; charset=utf-8")]
    return [server.route(f"/d/{n}.html", body=page(d), headers=headers) for n, d in enumerate(docs)]


def capture(owner, urls: list[str]) -> list:  # noqa: ANN001
    """Add and capture every page in order; the snapshots, finished."""
    from linkhome.capture.pipeline import run_capture
    from linkhome.links.services import add_link

    out = []
    for url in urls:
        added = add_link(owner, url)
        out.append(run_capture(added.snapshot.pk))
    return out


# --- the measures ------------------------------------------------------------------------


def related_quality(snapshots: list, topics: list[str]) -> dict:
    from linkhome.recommend.related import related_snapshots

    topic_of = {s.link_id: t for s, t in zip(snapshots, topics, strict=True)}
    hits = {5: 0.0, 10: 0.0}
    times = []
    for snapshot, topic in zip(snapshots, topics, strict=True):
        started = time.perf_counter()
        found = related_snapshots(snapshot, limit=10)
        times.append(time.perf_counter() - started)
        same = [topic_of.get(s.link_id) == topic for s in found]
        for k in hits:
            hits[k] += sum(same[:k]) / k
    return {
        "documents": len(snapshots),
        "p_at_5": round(hits[5] / len(snapshots), 3),
        "p_at_10": round(hits[10] / len(snapshots), 3),
        **latency(times),
    }


def latency(times: list[float], name: str = "related") -> dict:
    ordered = sorted(times)
    return {
        f"{name}_ms_p50": round(1000 * statistics.median(ordered), 2),
        f"{name}_ms_p95": round(1000 * ordered[int(0.95 * (len(ordered) - 1))], 2),
    }


def normalise(text: str) -> str:
    return re.sub(r"\s+", " ", unicodedata.normalize("NFKC", text).lower()).strip()


def tag_quality(owner, snapshots: list, docs: list[dict]) -> dict:  # noqa: ANN001
    from linkhome.recommend.suggestions import suggest_tags

    sums = dict.fromkeys(("p_at_5", "r_at_5", "p_at_10", "r_at_10"), 0.0)
    for snapshot, doc in zip(snapshots, docs, strict=True):
        gold = {normalise(k) for k in doc["keywords"]}
        suggested = [normalise(t) for t in suggest_tags(owner, snapshot, limit=10)]
        for n in (5, 10):
            hit = len(set(suggested[:n]) & gold)
            sums[f"p_at_{n}"] += hit / n
            sums[f"r_at_{n}"] += hit / len(gold)
    return {key: round(value / len(docs), 3) for key, value in sums.items()}


def evaluate(name: str, limit: int | None, owner) -> dict:  # noqa: ANN001
    """Capture the corpus (or a sample) as `owner` and measure; for the test suite too."""
    from linkhome.testing.http import LocalHTTPServer

    docs = documents(name, limit)
    with LocalHTTPServer() as server:
        started = time.perf_counter()
        snapshots = capture(owner, serve(server, docs))
        took = time.perf_counter() - started
    done = [s.status in ("succeeded", "partial") for s in snapshots]
    result = {"corpus": name, "captured": sum(done), "capture_s": round(took, 1)}
    result["related"] = related_quality(snapshots, [d["topic"] for d in docs])
    if "keywords" in docs[0]:
        result["tags"] = tag_quality(owner, snapshots, docs)
    return result


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

    from linkhome.capture.models import Snapshot
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
