"""Worker memory while it captures one very large page (about 50 MB of HTML).

Starts `linkhome serve` as `make run` does (default settings; its own data directory and a
free port), waits for the worker to settle, samples its idle RSS (cold), has it capture
one ordinary page and samples again (warm: parsers and dictionary loaded; the idle figure
compared with), adds the big page from a local server, samples the worker processes' RSS every 0.2 s until the snapshot is done,
then waits a few seconds and samples again. "worker" is every process whose command line
is the capture worker (a recycled worker is a new process); its browser, if any, is
reported apart. Prints JSON; asserts nothing. Usage: python bench/memory.py [MEGABYTES]
"""

import json
import os
import shutil
import socket
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from proctree import cmdline, rss_kib, stop, tree  # noqa: E402 - after the path fix

from linkhome.testing.http import LocalHTTPServer  # noqa: E402

PYTHON = sys.executable
LIMIT_SECONDS = 300.0
SETTLE_SECONDS = 8.0
PARAGRAPH = (
    '<p class="c">LinkHome keeps pages. <a href="/x/{n}">Link {n}</a> '
    "<span>一段中文文字，用来测试提取与分词。</span> Some more words to read here.</p>\n"
)

WARM_PAGE = (
    "<html><head><title>warm</title></head><body><article>"
    + "<p>一段普通的中文文章，用来让工作进程加载解析器和分词词典。Ordinary words.</p>" * 60
    + "</article></body></html>"
).encode()


def big_page(megabytes: float) -> bytes:
    head = b"<!doctype html><html><head><title>big</title></head><body><article>\n"
    parts, size, n = [head], len(head), 0
    while size < megabytes * 1_000_000:
        chunk = PARAGRAPH.format(n=n).encode()
        parts.append(chunk)
        size += len(chunk)
        n += 1
    parts.append(b"</article></body></html>\n")
    return b"".join(parts)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def worker_mib(serve: int) -> tuple[float, float]:
    """(capture worker RSS, its descendants' RSS) in MiB, summed over the serve tree."""
    workers, others = 0, 0
    for pid in tree(serve):
        line = cmdline(pid)
        if "linkhome.worker" in line:
            workers += rss_kib(pid)
        elif "gunicorn" not in line and "linkhome.cli.main" not in line:
            others += rss_kib(pid)  # the worker's Chromium, if it started one
    return workers / 1024, others / 1024


class Sampler(threading.Thread):
    def __init__(self, serve: int) -> None:
        super().__init__(daemon=True)
        self.serve = serve
        self.peak = 0.0
        self.peak_browser = 0.0
        self.stop = threading.Event()

    def run(self) -> None:
        while not self.stop.wait(0.2):
            worker, browser = worker_mib(self.serve)
            self.peak = max(self.peak, worker)
            self.peak_browser = max(self.peak_browser, browser)


def status(data_dir: Path, url: str) -> str:
    with sqlite3.connect(data_dir / "linkhome.sqlite3", timeout=20) as db:
        row = db.execute("SELECT status FROM capture_snapshot WHERE url = ?", (url,)).fetchone()
    return row[0] if row else "missing"


def capture(env: dict, data_dir: Path, url: str) -> float:
    """Add `url` as a person would; seconds until its snapshot is done (or LIMIT_SECONDS)."""
    started = time.monotonic()
    subprocess.run([PYTHON, "-m", "linkhome.cli.main", "add", url], env=env, capture_output=True)
    while status(data_dir, url) not in ("succeeded", "partial", "failed"):
        if time.monotonic() - started > LIMIT_SECONDS:
            break
        time.sleep(0.5)
    return time.monotonic() - started


def main() -> None:
    megabytes = float(sys.argv[1]) if len(sys.argv) > 1 else 50.0
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
    page = big_page(megabytes)
    server.route("/big", body=page, headers=[("Content-Type", "text/html")])
    url = server.url("/big")
    server.route("/warm", body=WARM_PAGE, headers=[("Content-Type", "text/html")])
    warm_up = server.url("/warm")
    serve = subprocess.Popen(
        [PYTHON, "-m", "linkhome.cli.main", "serve", "--port", str(free_port())],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        time.sleep(SETTLE_SECONDS)
        while worker_mib(serve.pid)[0] == 0:
            time.sleep(0.5)
        time.sleep(SETTLE_SECONDS)
        cold = worker_mib(serve.pid)[0]
        capture(env, data_dir, warm_up)
        time.sleep(SETTLE_SECONDS)
        idle = worker_mib(serve.pid)[0]
        sampler = Sampler(serve.pid)
        sampler.start()
        seconds = capture(env, data_dir, url)
        time.sleep(SETTLE_SECONDS)  # a recycled worker starts again meanwhile
        sampler.stop.set()
        sampler.join()
        after = worker_mib(serve.pid)[0]
        report = {
            "page_bytes": len(page),
            "status": status(data_dir, url),
            "capture_seconds": round(seconds, 1),
            "worker_cold_rss_mib": round(cold, 1),
            "worker_idle_rss_mib": round(idle, 1),
            "worker_peak_rss_mib": round(sampler.peak, 1),
            "worker_after_rss_mib": round(after, 1),
            "after_vs_idle": round(after / idle, 2) if idle else None,
            "browser_peak_rss_mib": round(sampler.peak_browser, 1),
        }
        print(json.dumps(report, indent=2))
    finally:
        stop(serve, timeout=20)
        server.close()
        shutil.rmtree(data_dir, ignore_errors=True)


if __name__ == "__main__":
    main()
