"""Browser-mode captures on the local site: pages/s, failures, RSS, disk per snapshot by kind.

Prints one JSON object and asserts nothing. Runs captures as production does: `linkhome add`
queues the links, then N worker processes (`python -m linkhome.worker --batch`, what
`linkhome serve --workers N` starts) each drive their own Chromium with
LINKHOME_BROWSER=always, so every page gets screenshot, thumbnail, PDF, DOM and single file.

    python bench/browser.py [--pages 40] [--workers 1,2] [--long 0] [--restart-every 50]

--long N adds a run of N captures on one worker that samples the browser's memory every
--sample-every captures, to show it stays bounded across browser restarts.
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

from capture import _du, linkhome, start_site
from proctree import (
    KIB_PER_MIB,
    PeakSampler,
    cmdline,
    cpu_seconds,
    machine_busy_seconds,
    parent,
    pss_kib,
    rss_kib,
    tree,
)

ROOT = Path(__file__).resolve().parents[1]
PYTHON = sys.executable
WORKER = [PYTHON, "-m", "linkhome.worker", "--batch"]
POLL_SECONDS = 0.5


def role(pid: int) -> str:
    """Which part of the run a process is: Chromium, Playwright's driver, a worker, or other."""
    command = cmdline(pid)
    if "linkhome.worker" in command:
        return "worker"
    if "bench/site.py" in command:
        return "site"
    if "chromium" in command or "chrome" in command:
        return "chromium"
    if "playwright" in command or command.startswith("node"):
        return "driver"
    return "other"


class CpuSampler(PeakSampler):
    """PeakSampler that also keeps each process's last CPU time, to sum CPU by role.

    A process that ends between two samples loses at most one interval of its time."""

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.cpu: dict[int, tuple[str, float]] = {}
        self.base = {pid: cpu_seconds(pid) for pid in tree(self.root)}  # the site, this script
        self.most: dict[str, int] = {}  # processes per role at once (PeakSampler keeps the last)

    def sample(self) -> None:
        super().sample()
        for pid in tree(self.root):
            self.cpu[pid] = (self.role(pid), cpu_seconds(pid))
        for name, count in self.processes.items():
            self.most[name] = max(count, self.most.get(name, 0))

    def cpu_by_role(self) -> dict[str, float]:
        found: dict[str, float] = {}
        for pid, (name, seconds) in self.cpu.items():
            found[name] = found.get(name, 0.0) + seconds - self.base.get(pid, 0.0)
        return found


def environment(data_dir: Path, restart_every: int) -> dict:
    env = {
        **os.environ,
        "LINKHOME_DATA_DIR": str(data_dir),
        "LINKHOME_ALLOW_PRIVATE_NETWORKS": "1",
        "LINKHOME_BROWSER": "always",
        "LINKHOME_BROWSER_RESTART_EVERY": str(restart_every),
        "DJANGO_SETTINGS_MODULE": "linkhome.settings",
    }
    env.pop("DATABASE_URL", None)
    env.pop("LINKHOME_QUEUE", None)
    return env


def queue_links(env: dict, port: int, site_pages: int, count: int, prefix: str) -> None:
    # More captures than site pages cycle through them; the query string (ignored by the
    # site) keeps each link distinct, so each is a new snapshot.
    urls = "\n".join(
        f"http://127.0.0.1:{port}/{prefix}/{n % site_pages}.html?n={n}" for n in range(count)
    )
    linkhome(env, "add", "--file", "-", stdin=urls)  # queued only: no worker runs yet


def start_workers(env: dict, workers: int) -> list[subprocess.Popen]:
    return [
        subprocess.Popen(WORKER, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        for _ in range(workers)
    ]


def throughput(port: int, site_pages: int, args: argparse.Namespace, workers: int) -> dict:
    data_dir = Path(tempfile.mkdtemp(prefix="linkhome-bench-browser-"))
    try:
        env = environment(data_dir, args.restart_every)
        queue_links(env, port, site_pages, args.pages, args.prefix)
        combined = {"worker+browser": ("worker", "driver", "chromium")}
        with CpuSampler(os.getpid(), role, combined, interval=0.5) as sampler:
            started, busy = time.perf_counter(), machine_busy_seconds()
            for proc in start_workers(env, workers):
                proc.wait()
            elapsed = time.perf_counter() - started
            busy = machine_busy_seconds() - busy
        return {
            "workers": workers,
            "pages": args.pages,
            "seconds": round(elapsed, 2),
            "pages_per_second": round(args.pages / elapsed, 2),
            # All cores, everything on the machine (other people's work too, if any).
            "machine_cpu_seconds_per_page": round(busy / args.pages, 2),
            # This run's processes alone: what one page costs, whatever else runs.
            "cpu_seconds_per_page": {
                name: round(seconds / args.pages, 2)
                for name, seconds in sampler.cpu_by_role().items()
            },
            "load_average_after": round(os.getloadavg()[0], 2),
            **outcome(data_dir, args.pages),
            "peak_rss_mib": pick(sampler.peaks_mib("rss")),
            "peak_pss_mib": pick(sampler.peaks_mib("pss")),
            "processes": {k: v for k, v in sampler.most.items() if k != "other"},
            "disk": disk(data_dir),
        }
    finally:
        shutil.rmtree(data_dir, ignore_errors=True)


def pick(peaks: dict[str, float]) -> dict[str, float]:
    wanted = ("chromium", "driver", "worker", "worker+browser")
    return {name: peaks[name] for name in wanted if name in peaks}


def outcome(data_dir: Path, count: int) -> dict:
    """Snapshot statuses, failure rate, per-capture seconds and why artifacts failed."""
    with sqlite3.connect(data_dir / "linkhome.sqlite3") as db:
        db.execute("PRAGMA wal_checkpoint(TRUNCATE)")  # the database at its steady size
        statuses = dict(db.execute("SELECT status, count(*) FROM capture_snapshot GROUP BY 1"))
        spans = db.execute(
            "SELECT started_at, finished_at, url FROM capture_snapshot"
            " WHERE finished_at IS NOT NULL"
        ).fetchall()
        failed = db.execute(
            "SELECT kind, error, count(*) FROM capture_artifact WHERE status = 'failed'"
            " GROUP BY 1, 2 ORDER BY 3 DESC LIMIT 10"
        ).fetchall()
    timed = sorted(((_seconds(a, b), url) for a, b, url in spans if a and b), reverse=True)
    seconds = [s for s, _url in timed]
    not_succeeded = count - statuses.get("succeeded", 0)
    return {
        "statuses": statuses,
        "failure_rate": round(not_succeeded / count, 4),
        "capture_seconds": _spread(seconds),
        "slowest": [{"seconds": round(s, 2), "url": url} for s, url in timed[:3]],
        "failed_artifacts": [{"kind": k, "error": e[:160], "count": n} for k, e, n in failed],
    }


def _seconds(started: str, finished: str) -> float:
    return (datetime.fromisoformat(finished) - datetime.fromisoformat(started)).total_seconds()


def _spread(values: list[float]) -> dict:
    if not values:
        return {}
    values = sorted(values)
    return {
        "median": round(statistics.median(values), 2),
        "p90": round(values[int(len(values) * 0.9) - 1 if len(values) > 1 else 0], 2),
        "max": round(values[-1], 2),
    }


def disk(data_dir: Path) -> dict:
    """KiB per snapshot: Artifact.size summed by kind (before blob dedup) and the data dir."""
    with sqlite3.connect(data_dir / "linkhome.sqlite3") as db:
        snapshots = db.execute("SELECT count(*) FROM capture_snapshot").fetchone()[0] or 1
        rows = db.execute(
            "SELECT kind, sum(size) FROM capture_artifact WHERE status = 'ok' GROUP BY 1"
        ).fetchall()
    by_kind = {kind: round(size / snapshots / 1024, 1) for kind, size in sorted(rows)}
    return {
        "artifact_kib_per_snapshot_by_kind": by_kind,
        "artifact_kib_per_snapshot_total": round(sum(by_kind.values()), 1),
        "data_dir_kib_per_snapshot": round(_du(data_dir) / snapshots / 1024, 1),
        "blobs_kib_per_snapshot": round(_du(data_dir / "blobs") / snapshots / 1024, 1),
    }


def long_run(port: int, site_pages: int, args: argparse.Namespace) -> dict:
    """One worker, many captures: the browser's memory every `sample_every` captures."""
    data_dir = Path(tempfile.mkdtemp(prefix="linkhome-bench-browser-long-"))
    try:
        env = environment(data_dir, args.restart_every)
        queue_links(env, port, site_pages, args.long, args.prefix)
        started = time.perf_counter()
        (worker,) = start_workers(env, 1)
        samples = sample_while(worker, data_dir, args.sample_every)
        elapsed = time.perf_counter() - started
        return {
            "pages": args.long,
            "restart_every": args.restart_every,
            "seconds": round(elapsed, 2),
            "pages_per_second": round(args.long / elapsed, 2),
            **outcome(data_dir, args.long),
            "samples": samples,
            "disk": disk(data_dir),
        }
    finally:
        shutil.rmtree(data_dir, ignore_errors=True)


def sample_while(worker: subprocess.Popen, data_dir: Path, every: int) -> list[dict]:
    """Peak memory per window of `every` captures (sampled all along, not at the window's
    end: with restart_every equal to `every`, the browser has just been retired there)."""
    windows: list[dict] = []
    peaks: dict = {}
    end = every
    database = data_dir / "linkhome.sqlite3"
    while worker.poll() is None:
        _merge_peaks(peaks, memory(worker.pid))
        done = finished_count(database)
        if done >= end:
            windows.append({"captures": f"{end - every + 1}-{done}", **peaks})
            peaks, end = {}, (done // every + 1) * every
        time.sleep(POLL_SECONDS)
    return windows


def _merge_peaks(peaks: dict, now: dict) -> None:
    for kind in ("rss_mib", "pss_mib"):
        for name, mib in now[kind].items():
            kept = peaks.setdefault(f"peak_{kind}", {})
            kept[name] = max(mib, kept.get(name, 0.0))
    browsers = peaks.setdefault("chromium_pids", [])
    browsers += [pid for pid in now["chromium_pids"] if pid not in browsers]


def finished_count(database: Path) -> int:
    try:
        with sqlite3.connect(f"file:{database}?mode=ro", uri=True, timeout=5) as db:
            query = "SELECT count(*) FROM capture_snapshot WHERE finished_at IS NOT NULL"
            return db.execute(query).fetchone()[0]
    except sqlite3.Error:  # busy or not there yet: ask again at the next poll
        return 0


def memory(root: int) -> dict:
    """RSS and PSS (MiB) of the worker, its Playwright driver and its Chromium, now."""
    sums: dict[str, dict[str, int]] = {"rss": {}, "pss": {}}
    browsers = set()
    for pid in tree(root):
        name = role(pid)
        if name == "chromium" and role(parent(pid)) != "chromium":
            browsers.add(pid)  # the browser process itself; its children are renderers etc.
        for kind, read in (("rss", rss_kib), ("pss", pss_kib)):
            sums[kind][name] = sums[kind].get(name, 0) + read(pid)
    found = {
        f"{kind}_mib": {k: round(v / KIB_PER_MIB, 1) for k, v in by_role.items() if k != "other"}
        for kind, by_role in sums.items()
    }
    return {**found, "chromium_pids": sorted(browsers)}


def arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--pages", type=int, default=40, help="captures per throughput run")
    parser.add_argument("--workers", default="1,2", help="worker counts to run, e.g. 1,2")
    parser.add_argument("--long", type=int, default=0, help="captures in the long run (0: none)")
    parser.add_argument("--sample-every", type=int, default=50, help="long run: captures")
    parser.add_argument("--restart-every", type=int, default=50, help="browser restart, captures")
    parser.add_argument("--site-pages", type=int, default=220, help="distinct corpus pages")
    parser.add_argument(
        "--prefix",
        default="p",
        choices=("p", "q"),
        help="p: pages keep their (404) asset references; q: only the site's shared assets",
    )
    return parser.parse_args()


def main() -> None:
    args = arguments()
    site, port, site_pages = start_site(args.site_pages)
    try:
        report: dict = {
            "site_pages": site_pages,
            "prefix": args.prefix,
            "outputs": ["screenshot", "thumbnail", "pdf", "dom", "single_file", "warc"],
            "cpus": os.cpu_count(),
        }
        workers = [int(n) for n in args.workers.split(",") if n]
        report["runs"] = [throughput(port, site_pages, args, n) for n in workers]
        if args.long:
            report["long_run"] = long_run(port, site_pages, args)
        print(json.dumps(report, indent=2))
    finally:
        site.kill()


if __name__ == "__main__":
    main()
