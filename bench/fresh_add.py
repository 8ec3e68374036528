"""A fresh add while slow pages are being captured and retried: how long until it is done?

A local server has 10 slowloris pages (a byte every second, for far longer than any fetch
deadline) and one fast page. The worker starts as `make run` starts it (`linkhome serve`
runs `python -m linkhome.worker`, default settings); the 10 slow pages are imported with
`linkhome add --file`, and once the worker has been on them long enough that retries are
waiting, the fast page is added as a person adds one (`linkhome add URL`). Prints JSON: the
seconds from that add to its snapshot being done, capped at LIMIT_SECONDS (then "gave_up").
Asserts nothing about time. Usage: python bench/fresh_add.py
"""

import json
import os
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from proctree import stop  # noqa: E402 - after the path fix

from linkhome.testing.http import LocalHTTPServer  # noqa: E402 - after the path fix

PYTHON = sys.executable
SLOW_PAGES = 10
LIMIT_SECONDS = 240.0
FINISHED = ("succeeded", "partial", "failed")
FAST_PAGE = (
    "<html><head><title>fast</title></head><body><article><p>"
    + "A page that answers at once, with enough text to need no browser. " * 20
    + "</p></article></body></html>"
).encode()


def linkhome(env: dict, *args: str, stdin: str = "") -> dict:
    result = subprocess.run(
        [PYTHON, "-m", "linkhome.cli.main", *args, "--json"],
        input=stdin,
        env=env,
        capture_output=True,
        text=True,
    )
    if result.returncode != 0:
        raise SystemExit(f"linkhome {' '.join(args)} failed: {result.stderr}")
    return json.loads(result.stdout.splitlines()[0])


def snapshots(data_dir: Path) -> dict[str, tuple[str, int]]:
    """url -> (status, attempts), read straight from SQLite: a `linkhome show` per poll
    would start Django each time and load the machine being measured."""
    with sqlite3.connect(data_dir / "linkhome.sqlite3", timeout=20) as db:
        rows = db.execute("SELECT url, status, attempts FROM capture_snapshot").fetchall()
    return {url: (status, attempts) for url, status, attempts in rows}


def wait_for_a_retry(data_dir: Path, urls: list[str]) -> float:
    """Seconds until some slow snapshot has failed an attempt and waits for its retry."""
    started = time.monotonic()
    while time.monotonic() - started < LIMIT_SECONDS:
        rows = snapshots(data_dir)
        if any(rows.get(url, ("", 0)) == ("queued", 1) for url in urls):
            return time.monotonic() - started
        time.sleep(1)
    raise SystemExit("no slow page was ever retried")


def time_to_done(data_dir: Path, url: str, started: float) -> tuple[float | None, str]:
    status = "queued"
    while time.monotonic() - started < LIMIT_SECONDS:
        status = snapshots(data_dir).get(url, ("queued", 0))[0]
        if status in FINISHED:
            return time.monotonic() - started, status
        time.sleep(0.25)
    return None, status


def main() -> None:
    data_dir = Path(tempfile.mkdtemp(prefix="linkhome-bench-"))
    env = {
        **os.environ,
        "LINKHOME_DATA_DIR": str(data_dir),
        "LINKHOME_ALLOW_PRIVATE_NETWORKS": "1",
        "DJANGO_SETTINGS_MODULE": "linkhome.settings",
        "PYTHONPATH": str(ROOT),
    }
    env.pop("DATABASE_URL", None)
    server = LocalHTTPServer()
    worker = None
    try:
        slow = [server.slow_drip(f"/slow/{n}", b"x" * 3600) for n in range(SLOW_PAGES)]
        server.route("/fast", body=FAST_PAGE, headers=[("Content-Type", "text/html")])
        slow_urls = slow  # slow_drip gives the full address
        linkhome(env, "add", "--file", "-", stdin="\n".join(slow_urls))
        worker = subprocess.Popen(
            [PYTHON, "-m", "linkhome.worker"],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        retry_after = wait_for_a_retry(data_dir, slow_urls)
        started = time.monotonic()
        linkhome(env, "add", server.url("/fast"))
        add_command = time.monotonic() - started
        seconds, status = time_to_done(data_dir, server.url("/fast"), started)
        report = {
            "slow_pages": SLOW_PAGES,
            "first_retry_waiting_after_s": round(retry_after, 1),
            "fresh_add_done_s": round(seconds, 1) if seconds is not None else None,
            "of_which_the_add_command_s": round(add_command, 1),
            "fresh_add_status": status,
            "gave_up_after_s": None if seconds is not None else LIMIT_SECONDS,
            "slow_pages_by_status_and_attempts": sorted(
                f"{status}/{attempts}"
                for url, (status, attempts) in snapshots(data_dir).items()
                if url in slow_urls
            ),
        }
        print(json.dumps(report, indent=2))
    finally:
        if worker is not None:
            stop(worker, timeout=15)
        server.close()
        shutil.rmtree(data_dir, ignore_errors=True)


if __name__ == "__main__":
    main()
