"""Bookmark imports at scale: a 10,000-entry and a 100,000-entry (about 50 MB) Netscape file,
read and saved by the importer's own code (imports.services.start_import + run_import, what
the worker runs), on a fresh SQLite data directory per size, each in its own process.

The files are generated here (seeded): 100 folders two deep (Chinese and English names),
addresses on 5,000 hosts, ADD_DATE on 90 %, TAGS on a third, a <DD> note on a fifth, PRIVATE
on a tenth, Chrome-style ICON data URIs (what makes real exports large), 1 % repeated
addresses and 0.5 % refused ones (javascript:, place:).

Prints one JSON object: for each size, the file's bytes, entries read per second by the
reader alone, entries saved per second (links, tags, snapshots and their queue rows, the
job's counters), seconds in all, peak RSS of the process. Asserts nothing about time.
Usage: python bench/import.py [--sizes 10000,100000] [--database sqlite|postgres]
"""

import argparse
import json
import os
import random
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SEED = 12
PG_ADMIN = "postgres://postgres@127.0.0.1:5432/postgres"
PG_BENCH_DB = "linkhome_bench_import"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", default="10000,100000")
    parser.add_argument("--database", default="sqlite", choices=("sqlite", "postgres"))
    parser.add_argument("--child", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(run(args.child)))
        return
    results = [child(size, args.database) for size in map(int, args.sizes.split(","))]
    print(json.dumps({"import": results, "database": args.database}, indent=1))


def child(size: int, database: str) -> dict:
    data_dir = tempfile.mkdtemp(prefix="linkhome-bench-import-")
    env = {**os.environ, "LINKHOME_DATA_DIR": data_dir, "LINKHOME_LOG_LEVEL": "ERROR"}
    env.pop("DATABASE_URL", None)
    if database == "postgres":
        import psycopg

        with psycopg.connect(PG_ADMIN, autocommit=True) as conn:
            conn.execute(f"DROP DATABASE IF EXISTS {PG_BENCH_DB}")
            conn.execute(f"CREATE DATABASE {PG_BENCH_DB}")
        env["DATABASE_URL"] = PG_ADMIN.rsplit("/", 1)[0] + "/" + PG_BENCH_DB
    command = [sys.executable, __file__, "--child", str(size)]
    out = subprocess.run(command, env=env, capture_output=True, text=True, check=True, cwd=ROOT)
    sys.stderr.write(out.stderr)
    return json.loads(out.stdout.strip().splitlines()[-1])


def write_file(path: Path, size: int, rng: random.Random) -> None:
    folders = [
        f"{top}/{sub}" for top in ("技术", "新闻", "Reading", "读书", "Work") for sub in range(20)
    ]
    icon = "data:image/png;base64," + "iVBORw0KGgoAAAANSUhEUgAAABAAAAAQCAYAAAAf8/9h" * 8
    per_folder = size // len(folders)
    number = 0
    with path.open("w", encoding="utf-8") as out:
        out.write('<!DOCTYPE NETSCAPE-Bookmark-file-1>\n<META HTTP-EQUIV="Content-Type" ')
        out.write(
            'CONTENT="text/html; charset=UTF-8">\n<TITLE>Bookmarks</TITLE>\n<H1>Bookmarks</H1>\n<DL><p>\n'
        )
        out.write('<DT><H3 PERSONAL_TOOLBAR_FOLDER="true">Bookmarks bar</H3>\n<DL><p>\n')
        for folder in folders:
            top, sub = folder.split("/")
            out.write(f"<DT><H3>{top}</H3>\n<DL><p>\n<DT><H3>{top} {sub}</H3>\n<DL><p>\n")
            for _ in range(per_folder):
                number += 1
                out.write(entry(number, rng, icon))
            out.write("</DL><p>\n</DL><p>\n")
        out.write("</DL><p>\n</DL><p>\n")


def entry(number: int, rng: random.Random, icon: str) -> str:
    roll = rng.random()
    if roll < 0.005:
        href = "javascript:void(0)" if roll < 0.0025 else "place:sort=8&maxResults=10"
    elif roll < 0.015:
        href = address(rng.randrange(1, max(2, number)))  # an address seen before
    else:
        href = address(number)
    attributes = [f'HREF="{href}"']
    if rng.random() < 0.9:
        attributes.append(f'ADD_DATE="{1_200_000_000 + number * 3000}"')
    attributes.append(f'ICON="{icon}"')
    if rng.random() < 0.33:
        attributes.append(f'TAGS="t{number % 300},标签{number % 40}"')
    if rng.random() < 0.1:
        attributes.append('PRIVATE="1"')
    line = f"<DT><A {' '.join(attributes)}>第 {number} 篇 &amp; an article title {number}</A>\n"
    if rng.random() < 0.2:
        line += f"<DD>a note about {number}, 笔记\n"
    return line


def address(number: int) -> str:
    return f"https://host{number % 5000}.example.com/page/{number}?ref=书签&amp;n={number}"


def run(size: int) -> dict:
    sys.path.insert(0, str(ROOT))
    from linkhome import bootstrap

    bootstrap.ready()
    from linkhome.accounts.services import create_user
    from linkhome.imports import services
    from linkhome.lib.bookmarks import read_bookmarks

    folder = Path(tempfile.mkdtemp(prefix="linkhome-bench-file-"))
    path = folder / "bookmarks.html"
    write_file(path, size, random.Random(SEED))
    started = time.perf_counter()
    parsed = sum(1 for _ in read_bookmarks(path).entries)
    parse_seconds = time.perf_counter() - started
    owner = create_user("bench", "bench-password-1")
    started = time.perf_counter()
    cpu_before = cpu_seconds(resource.RUSAGE_SELF), cpu_seconds(resource.RUSAGE_CHILDREN)
    load_before = os.getloadavg()[0]
    with path.open("rb") as source:
        job = services.start_import(owner, source, file_name=path.name)
    accepted = time.perf_counter() - started
    if os.environ.get("BENCH_PROFILE"):
        import cProfile

        cProfile.runctx(
            "services.run_import(job.pk, 'bench')", globals(), locals(), "/tmp/import.prof"
        )
    else:
        services.run_import(job.pk, "bench")
    job.refresh_from_db()
    total = time.perf_counter() - started
    cpu_worker = cpu_seconds(resource.RUSAGE_SELF) - cpu_before[0]
    cpu_reader = cpu_seconds(resource.RUSAGE_CHILDREN) - cpu_before[1]
    load_after = os.getloadavg()[0]
    peak_after_import = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    exported = {kind: time_export(owner, kind) for kind in ("netscape", "json")}
    return {
        "entries": parsed,
        "file_bytes": path.stat().st_size,
        "read_only_entries_per_s": round(parsed / parse_seconds),
        "upload_checked_s": round(accepted, 2),
        "saved_s": round(total, 1),
        "saved_entries_per_s": round(parsed / total),
        # CPU seconds: the worker process (saving) and the reader process (parsing, judging),
        # which overlap; and the machine's load average around the run (2 cores here).
        "cpu_s_worker": round(cpu_worker, 1),
        "cpu_s_reader": round(cpu_reader, 1),
        "load_average": [round(load_before, 1), round(load_after, 1)],
        "added": job.added,
        "duplicates": job.duplicates,
        "refused": job.refused,
        "captures_queued": job.captures_queued,
        "peak_rss_mib": round(peak_after_import),
        "export": exported,
        "peak_rss_after_exports_mib": round(
            resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        ),
    }


def cpu_seconds(who: int) -> float:
    usage = resource.getrusage(who)
    return usage.ru_utime + usage.ru_stime


def rss_mib() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def time_export(owner, kind: str) -> dict:  # noqa: ANN001
    from linkhome.imports import exports

    before = rss_mib()
    highest = before
    started = time.perf_counter()
    first = None
    size = 0
    for count, piece in enumerate(exports.export(owner, kind)):
        if first is None:
            first = time.perf_counter() - started
        size += len(piece.encode("utf-8"))
        if count % 500 == 0:
            highest = max(highest, rss_mib())
    return {
        "first_piece_s": round(first or 0, 3),
        "total_s": round(time.perf_counter() - started, 1),
        "bytes": size,
        "rss_growth_mib": round(highest - before),
    }


if __name__ == "__main__":
    main()
