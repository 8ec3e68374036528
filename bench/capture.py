"""Capture throughput on a local site: 1 and 2 workers vs the floor (fetch+decode+extract).

Prints one JSON object. Asserts nothing about time. Usage: python bench/capture.py [PAGES]
"""

import json
import os
import resource
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PYTHON = sys.executable


def start_site(pages: int) -> tuple[subprocess.Popen, int, int]:
    site = subprocess.Popen(
        [PYTHON, str(ROOT / "bench" / "site.py"), str(pages)], stdout=subprocess.PIPE, text=True
    )
    port, count = map(int, site.stdout.readline().split())
    return site, port, count


def floor(port: int, count: int) -> float:
    """fetch + decode + extract alone, in one process: what capture cannot beat."""
    sys.path.insert(0, str(ROOT))
    from linkhome.capture.steps.decode import decode_document
    from linkhome.capture.steps.extract import extract
    from linkhome.lib.safe_http import Limits, SafeClient

    with SafeClient(Limits(allow_private=True)) as client:
        started = time.perf_counter()
        for number in range(count):
            final = client.get(f"http://127.0.0.1:{port}/p/{number}.html").final
            extract(decode_document(final.body, final.charset).text, final.url)
        return count / (time.perf_counter() - started)


def linkhome(env: dict, *args: str, stdin: str = "") -> subprocess.CompletedProcess:
    return subprocess.run(
        [PYTHON, "-m", "linkhome.cli.main", *args],
        input=stdin,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )


def captures(port: int, count: int, workers: int, assets: bool = True, prefix: str = "p") -> dict:
    data_dir = Path(tempfile.mkdtemp(prefix="linkhome-bench-"))
    env = {
        **os.environ,
        "LINKHOME_DATA_DIR": str(data_dir),
        "LINKHOME_ALLOW_PRIVATE_NETWORKS": "1",
        "LINKHOME_CAPTURE_ASSETS": "1" if assets else "0",
        "DJANGO_SETTINGS_MODULE": "linkhome.settings",
    }
    env.pop("DATABASE_URL", None)
    urls = "\n".join(f"http://127.0.0.1:{port}/{prefix}/{n}.html" for n in range(count))
    linkhome(env, "add", "--file", "-", stdin=urls)  # queued, not captured: no worker runs yet
    started = time.perf_counter()
    procs = [
        subprocess.Popen(
            [PYTHON, "-m", "linkhome.cli.main", "worker", "--batch"],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        for _ in range(workers)
    ]
    for proc in procs:
        proc.wait()
    elapsed = time.perf_counter() - started
    result = {
        "workers": workers,
        "pages": count,
        "seconds": round(elapsed, 2),
        "pages_per_second": round(count / elapsed, 2),
        **_outcome(data_dir),
        "disk_per_snapshot_kib": round(_du(data_dir) / count / 1024, 1),
        "blobs_per_snapshot_kib": round(_du(data_dir / "blobs") / count / 1024, 1),
    }
    shutil.rmtree(data_dir)
    return result


def _outcome(data_dir: Path) -> dict:
    """Snapshot statuses, after a WAL checkpoint so the database size is its steady size."""
    with sqlite3.connect(data_dir / "linkhome.sqlite3") as db:
        db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        rows = db.execute(
            "SELECT status, count(*) FROM capture_snapshot GROUP BY status"
        ).fetchall()
    return {"statuses": dict(rows)}


def _du(path: Path) -> int:
    return sum(f.stat().st_size for f in path.rglob("*") if f.is_file())


def main() -> None:
    pages = int(sys.argv[1]) if len(sys.argv) > 1 else 220
    site, port, count = start_site(pages)
    try:
        report = {"site_pages": count, "floor_pages_per_second": round(floor(port, count), 2)}
        report["runs"] = [captures(port, count, workers) for workers in (1, 2)]
        # Without the single file: shows what the ~57 asset fetches per page cost.
        report["runs"].append({**captures(port, count, 2, assets=False), "single_file": False})
        # The pages' own (absent) assets left out: only the site's shared ones are fetched.
        report["runs"].append(
            {**captures(port, count, 2, prefix="q"), "site": "shared assets only"}
        )
        for run in report["runs"]:
            run["ratio_to_floor"] = round(
                run["pages_per_second"] / report["floor_pages_per_second"], 2
            )
        report["peak_rss_mib_children"] = round(
            resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024, 1
        )
        report["peak_rss_mib_self"] = round(
            resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1
        )
        print(json.dumps(report, indent=2))
    finally:
        site.kill()


if __name__ == "__main__":
    main()
