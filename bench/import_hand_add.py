"""A link added by hand during a 10,000-link import: how long until its snapshot is done,
against the same add on an idle worker (issue 12: "as fast as on an idle system, plus at
most one capture's time").

A local server answers every /page?n=N with a small article. The worker starts as
`make run` starts it (`python -m linkhome.worker`, default capture threads). First a link
is added by hand on the idle worker and timed; then a Netscape file of IMPORT_SIZE entries
(all on the local server) is imported with `linkhome import`, and once the worker is busy
with those captures, a second link is added by hand (`linkhome add URL`) and timed the same
way. The per-host politeness limits are lifted (LINKHOME_HOST_DELAY=0,
LINKHOME_HOST_REQUESTS=8) so that the bulk captures keep every capture thread and both
cores busy, the hardest case for the hand-added link (all pages are on 127.0.0.1).

Prints JSON: seconds from each `linkhome add` to its snapshot being done (the add command's
own start-up included, also shown alone), the median seconds of one bulk capture (its
snapshot's start to its end, over the bulk captures finished meanwhile), how many bulk
captures had finished when the hand-added one did, and the load average. Asserts nothing.
Usage: python bench/import_hand_add.py [--size 10000]
"""

import argparse
import json
import os
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from fresh_add import FAST_PAGE, LIMIT_SECONDS, PYTHON, linkhome, time_to_done  # noqa: E402
from proctree import stop  # noqa: E402

from linkhome.testing.http import LocalHTTPServer  # noqa: E402

BUSY_CAPTURES = 20  # bulk captures finished before the hand-added link goes in


def bookmark_file(path: Path, base: str, size: int) -> None:
    with path.open("w", encoding="utf-8") as out:
        out.write("<!DOCTYPE NETSCAPE-Bookmark-file-1>\n<TITLE>Bookmarks</TITLE>\n<DL><p>\n")
        for n in range(size):
            out.write(
                f'<DT><A HREF="{base}/page?n={n}" ADD_DATE="{1_500_000_000 + n}">第 {n} 篇</A>\n'
            )
        out.write("</DL><p>\n")


def bulk_rows(data_dir: Path) -> list[tuple[str, str, str]]:
    """(status, started_at, finished_at) of the imported links' snapshots."""
    with sqlite3.connect(data_dir / "linkhome.sqlite3", timeout=20) as db:
        return db.execute(
            "SELECT status, started_at, finished_at FROM capture_snapshot WHERE url LIKE ?",
            ("%/page?n=%",),
        ).fetchall()


def finished_bulk(data_dir: Path) -> list[float]:
    """Seconds each finished bulk capture took."""
    took = []
    for status, started, finished in bulk_rows(data_dir):
        if status in ("succeeded", "partial") and started and finished:
            delta = datetime.fromisoformat(finished) - datetime.fromisoformat(started)
            took.append(delta.total_seconds())
    return took


def timed_add(env: dict, data_dir: Path, url: str) -> dict:
    started = time.monotonic()
    linkhome(env, "add", url)
    command = time.monotonic() - started
    seconds, status = time_to_done(data_dir, url, started)
    return {
        "done_s": round(seconds, 2) if seconds is not None else None,
        "of_which_the_add_command_s": round(command, 2),
        "status": status,
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--size", type=int, default=10_000)
    args = parser.parse_args()
    data_dir = Path(tempfile.mkdtemp(prefix="linkhome-bench-hand-"))
    env = {
        **os.environ,
        "LINKHOME_DATA_DIR": str(data_dir),
        "LINKHOME_ALLOW_PRIVATE_NETWORKS": "1",
        "LINKHOME_HOST_DELAY": "0",
        "LINKHOME_HOST_REQUESTS": "8",
        "DJANGO_SETTINGS_MODULE": "linkhome.settings",
        "PYTHONPATH": str(ROOT),
    }
    env.pop("DATABASE_URL", None)
    server = LocalHTTPServer()
    worker = None
    try:
        server.route("/page", body=FAST_PAGE, headers=[("Content-Type", "text/html")])
        server.route("/hand", body=FAST_PAGE, headers=[("Content-Type", "text/html")])
        hand = server.url("/hand")
        worker = subprocess.Popen(
            [PYTHON, "-m", "linkhome.worker"],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        linkhome(env, "add", f"{hand}?warm-up")  # the worker's first capture loads its parsers
        time_to_done(data_dir, f"{hand}?warm-up", time.monotonic())
        idle = timed_add(env, data_dir, f"{hand}?idle")
        path = data_dir / "bookmarks.html"
        bookmark_file(path, server.url("").rstrip("/"), args.size)
        started = time.monotonic()
        imported = linkhome(env, "import", str(path))
        import_seconds = time.monotonic() - started
        waited = time.monotonic()
        while len(finished_bulk(data_dir)) < BUSY_CAPTURES:
            if time.monotonic() - waited > LIMIT_SECONDS:
                raise SystemExit("the worker never got going on the imported links")
            time.sleep(0.5)
        busy = timed_add(env, data_dir, f"{hand}?busy")
        took = finished_bulk(data_dir)
        report = {
            "import_size": args.size,
            "import_added": imported.get("added"),
            "import_command_s": round(import_seconds, 1),
            "hand_add_idle": idle,
            "hand_add_during_import": busy,
            "bulk_capture_median_s": round(statistics.median(took), 2),
            "bulk_captures_finished_when_measured": len(took),
            "load_average_1min": round(os.getloadavg()[0], 2),
        }
        print(json.dumps(report, indent=2))
    finally:
        if worker is not None:
            stop(worker, timeout=15)
        server.close()
        shutil.rmtree(data_dir, ignore_errors=True)


if __name__ == "__main__":
    main()
