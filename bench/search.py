"""Search at scale: index 10k and 100k documents resampled from corpus texts, then time it.

Documents are resampled from topics-zh/thucnews.jsonl (60 %) and topics-en/bbc.jsonl (40 %):
each takes most sentences of one article and a few of another on the same topic, so no two
are alike. Links and snapshots are bulk-created (no signals), then the product's own
rebuild() builds the index: its time is the index build time. Queries are drawn from the
documents themselves: Chinese words of 2–4 characters, pairs of words, two-word phrases,
English words, pairs and phrases, and filters (tag:, site:, after:, -word), searched by a
signed-in person through search() (the path the web, the API and the CLI take), snippets
included. Words found in more than 10 % of the articles (一个, 这个, would, their…) are
timed apart as "common": nobody searches them alone, and they are every index's worst case.

Prints one JSON object; asserts nothing about time.
Usage: python bench/search.py [--sizes 10000,100000] [--backends sqlite,postgres] [--profile]
"""

import argparse
import json
import os
import random
import re
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT.parent / "shared" / "corpus"
PG_ADMIN = "postgres://postgres@127.0.0.1:5432/postgres"
PG_BENCH_DB = "linkhome_bench_search"
SEED = 20240611
USERS = 20
ROUNDS = 3


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", default="10000,100000")
    parser.add_argument("--backends", default="sqlite,postgres")
    parser.add_argument("--profile", action="store_true", help="cProfile the query loop")
    parser.add_argument("--child", nargs=2, metavar=("BACKEND", "SIZE"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(run(args.child[0], int(args.child[1]), args.profile)))
        return
    results = []
    for backend in args.backends.split(","):
        for size in map(int, args.sizes.split(",")):
            results.append(child(backend, size, args.profile))
    print(json.dumps({"search": results}, indent=1))


def child(backend: str, size: int, profile: bool) -> dict:
    """One backend and size in a fresh process (Django is configured once per process)."""
    data_dir = tempfile.mkdtemp(prefix="linkhome-bench-search-")
    env = {**os.environ, "LINKHOME_DATA_DIR": data_dir, "LINKHOME_LOG_LEVEL": "ERROR"}
    env.pop("DATABASE_URL", None)
    if backend == "postgres":
        fresh_postgres_database()
        env["DATABASE_URL"] = PG_ADMIN.rsplit("/", 1)[0] + "/" + PG_BENCH_DB
    command = [sys.executable, __file__, "--child", backend, str(size)]
    out = subprocess.run(
        command + (["--profile"] if profile else []),
        env=env,
        capture_output=True,
        text=True,
        check=True,
        cwd=ROOT,
    )
    sys.stderr.write(out.stderr)
    return json.loads(out.stdout.strip().splitlines()[-1])


def fresh_postgres_database() -> None:
    import psycopg

    with psycopg.connect(PG_ADMIN, autocommit=True) as conn:
        conn.execute(f"DROP DATABASE IF EXISTS {PG_BENCH_DB}")
        conn.execute(f"CREATE DATABASE {PG_BENCH_DB}")


# --- the child: load, index, query ------------------------------------------------------


def run(backend: str, size: int, profile: bool) -> dict:
    sys.path.insert(0, str(ROOT))
    from linkhome import bootstrap

    bootstrap.ready()
    rng = random.Random(SEED)
    docs = resample(size, rng)
    viewer = load(docs, rng)
    from linkhome.search import api
    from linkhome.search.backends import backend as search_backend

    started = time.perf_counter()
    indexed = api.rebuild()
    build = time.perf_counter() - started
    analyze_postgres()
    queries = make_queries(docs, random.Random(SEED + 1))
    timings = time_queries(viewer, queries, profile)
    return {
        "backend": backend,
        "documents": indexed,
        "index_build_s": round(build, 1),
        "index_docs_per_s": round(indexed / build),
        "index_bytes": search_backend().size_bytes(),
        **timings,
    }


def analyze_postgres() -> None:
    """Table statistics, as autovacuum gathers them on a table that grew over time. Right
    after a bulk load PostgreSQL has none, guesses 119 public links where there are 90k
    and plans every search as a loop over all of them (400 ms instead of 30 at 100k).
    SQLite gathers none by itself, so it runs without, as an instance does."""
    from django.db import connection

    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")


def sentences(text: str) -> list[str]:
    parts = re.split(r"(?<=[。！？!?])|(?<=\.)\s+|\n+", text)
    return [p.strip() for p in parts if p and p.strip()]


def sources() -> list[dict]:
    docs = []
    for path, lang in (("topics-zh/thucnews.jsonl", "zh"), ("topics-en/bbc.jsonl", "en")):
        with open(CORPUS / path, encoding="utf-8") as lines:
            for line in lines:
                doc = json.loads(line)
                parts = sentences(doc["text"])
                title = doc["title"] or parts[0][:30]
                docs.append({"lang": lang, "topic": doc["topic"], "title": title, "parts": parts})
    return docs


def resample(size: int, rng: random.Random) -> list[dict]:
    pool = sources()
    by_lang = {lang: [d for d in pool if d["lang"] == lang] for lang in ("zh", "en")}
    by_topic: dict[str, list[dict]] = {}
    for doc in pool:
        by_topic.setdefault(doc["topic"], []).append(doc)
    return [_one(rng, by_lang, by_topic) for _ in range(size)]


def _one(rng: random.Random, by_lang: dict, by_topic: dict) -> dict:
    base = rng.choice(by_lang["zh" if rng.random() < 0.6 else "en"])
    other = rng.choice(by_topic[base["topic"]])
    kept = [p for p in base["parts"] if rng.random() > 0.2] or base["parts"][:1]
    extra = rng.sample(other["parts"], min(3, len(other["parts"])))
    return {**base, "text": "\n".join(kept + extra)}


def load(docs: list[dict], rng: random.Random):  # noqa: ANN201 - the viewing user
    from django.contrib.auth.models import User

    from linkhome.archive.models import Snapshot
    from linkhome.links.models import Link, Tag

    users = User.objects.bulk_create([User(username=f"u{n}") for n in range(USERS)])
    links, snapshots = [], []
    for n, doc in enumerate(docs):
        owner = users[n % USERS]
        url = (
            f"https://{doc['topic']}.site{n % 97}.{'cn' if doc['lang'] == 'zh' else 'co.uk'}/a/{n}"
        )
        visibility = "private" if rng.random() < 0.1 else "public"
        links.append(
            Link(
                owner=owner,
                url=url,
                normalized_url=url,
                host=url.split("/")[2],
                visibility=visibility,
            )
        )
    Link.objects.bulk_create(links, batch_size=2000)
    for link, doc in zip(links, docs, strict=True):
        snapshots.append(
            Snapshot(
                link=link, url=link.url, status="succeeded", title=doc["title"], text=doc["text"]
            )
        )
    Snapshot.objects.bulk_create(snapshots, batch_size=1000)
    _spread_capture_times(snapshots)
    _tag(users, links, docs, Tag)
    return users[0]


def _spread_capture_times(snapshots: list) -> None:
    # bulk_create took auto_now_add's "now"; spread captures over three years for after:.
    from django.db import connection

    table = snapshots[0]._meta.db_table
    with connection.cursor() as cursor:
        first = snapshots[0].pk
        if connection.vendor == "sqlite":
            cursor.execute(
                f"UPDATE {table} SET created_at = datetime('2022-01-01', '+' || ((id - %s) * 15) || ' minutes')",
                [first],
            )
        else:
            cursor.execute(
                f"UPDATE {table} SET created_at = timestamptz '2022-01-01' + (id - %s) * interval '15 minutes'",
                [first],
            )


def _tag(users: list, links: list, docs: list, Tag) -> None:  # noqa: ANN001, N803
    tags = {}
    for user in users:
        for topic in {d["topic"] for d in docs}:
            tags[user.pk, topic] = Tag(owner=user, name=topic)
    Tag.objects.bulk_create(tags.values())
    through = links[0].tags.through
    rows = [
        through(link_id=link.pk, tag_id=tags[link.owner_id, doc["topic"]].pk)
        for n, (link, doc) in enumerate(zip(links, docs, strict=True))
        if n % 2 == 0
    ]
    through.objects.bulk_create(rows, batch_size=5000)


COMMON_SHARE = 0.1  # a word in more than 10 % of articles is a "common word"


def make_queries(docs: list[dict], rng: random.Random) -> dict[str, list[str]]:
    """Realistic queries (content words, pairs, phrases, filters), and common words alone
    (一个, would, their…: rarely typed alone, the worst case for any index) apart."""
    words = {"zh": _zh_words, "en": _en_words}
    common = _common_words(words)
    pool = {lang: [d for d in docs if d["lang"] == lang] for lang in ("zh", "en")}

    def content(lang: str) -> list[str]:
        return [w for w in words[lang](rng.choice(pool[lang])) if w not in common]

    typical = []
    for lang, singles, pairs, phrases in (("zh", 40, 30, 10), ("en", 30, 20, 10)):
        typical += [rng.choice(content(lang)) for _ in range(singles)]
        typical += [" ".join(rng.sample(content(lang), 2)) for _ in range(pairs)]
        typical += [_phrase(rng, words[lang](rng.choice(pool[lang])), lang) for _ in range(phrases)]
    for _ in range(5):
        doc = rng.choice(docs)
        word, other = rng.choice(content(doc["lang"])), rng.choice(content(doc["lang"]))
        host = f"{doc['topic']}.site{rng.randrange(97)}.{'cn' if doc['lang'] == 'zh' else 'co.uk'}"
        typical += [f"tag:{doc['topic']} {word}", f"{word} after:2023-06-01", f"{word} -{other}"]
        typical.append(f"site:{host}")
    return {"typical": typical, "common": sorted(common)[:: max(1, len(common) // 20)][:20]}


def _zh_words(doc: dict) -> list[str]:
    from linkhome.search import analyzers

    runs = [r.text for r in analyzers.runs(doc["text"]) if r.han]
    return [w for ws in analyzers.cut_runs(runs, search=False) for w in ws if 2 <= len(w) <= 4]


def _en_words(doc: dict) -> list[str]:
    return [w.lower() for w in re.findall(r"[A-Za-z]{3,}", doc["text"])]


def _phrase(rng: random.Random, words: list[str], lang: str) -> str:
    at = rng.randrange(len(words) - 1)
    return f'"{words[at]}{"" if lang == "zh" else " "}{words[at + 1]}"'


def _common_words(words: dict) -> set[str]:
    """Words in more than COMMON_SHARE of the source articles of their language."""
    from collections import Counter

    common: set[str] = set()
    for lang in ("zh", "en"):
        articles = [d for d in sources() if d["lang"] == lang]
        df = Counter(w for d in articles for w in set(words[lang]({"text": "\n".join(d["parts"])})))
        common |= {w for w, n in df.items() if n > COMMON_SHARE * len(articles)}
    return common


def time_queries(viewer, queries: dict[str, list[str]], profile: bool) -> dict:  # noqa: ANN001
    from linkhome.search import api

    every = [q for group in queries.values() for q in group]
    for query in every:  # warm: caches, jieba, query plans
        api.search(viewer, query)
    if profile:
        import cProfile
        import pstats

        with cProfile.Profile() as prof:
            for query in queries["typical"]:
                api.search(viewer, query)
        pstats.Stats(prof, stream=sys.stderr).sort_stats("cumtime").print_stats(35)
    return {name: _time(api, viewer, group) for name, group in queries.items()}


def _time(api, viewer, queries: list[str]) -> dict:  # noqa: ANN001
    """Wall time, and this process's CPU time (SQLite works in-process, so on a shared,
    busy machine CPU time is the steadier figure; PostgreSQL works in its own processes)."""
    full, paged, cpu, found = [], [], [], []
    for _ in range(ROUNDS):
        for query in queries:
            started, started_cpu = time.perf_counter(), time.process_time()
            results = api.search(viewer, query)
            full.append(time.perf_counter() - started)
            cpu.append(time.process_time() - started_cpu)
            started = time.perf_counter()
            api.search(viewer, query, count=False)
            paged.append(time.perf_counter() - started)
            found.append(results.total or 0)
    return {
        "queries": len(queries),
        "search_ms_p50": ms(statistics.median(full)),
        "search_ms_p95": ms(percentile(full, 95)),
        "search_ms_max": ms(max(full)),
        "search_cpu_ms_p50": ms(statistics.median(cpu)),
        "search_cpu_ms_p95": ms(percentile(cpu, 95)),
        "search_without_total_ms_p50": ms(statistics.median(paged)),
        "search_without_total_ms_p95": ms(percentile(paged, 95)),
        "results_median": statistics.median(found),
        "results_max": max(found),
        "load_average_1m": round(os.getloadavg()[0], 2),
    }


def percentile(values: list[float], pct: int) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(pct / 100 * (len(ordered) - 1)))]


def ms(seconds: float) -> float:
    return round(seconds * 1000, 2)


if __name__ == "__main__":
    main()
