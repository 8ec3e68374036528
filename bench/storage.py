"""Blobs in a folder vs on S3 (moto in server mode on 127.0.0.1, as the tests use it).

1. Capture throughput: PAGES corpus pages of bench/site.py (its shared assets only) captured by
   one `linkhome worker --batch`, once with LINKHOME_STORAGE=file and once with s3.
2. A large artifact: one BIG_MB body (random bytes, application/octet-stream: kept as a
   `document`, and whole in the WARC) captured by a worker; its peak RSS (ru_maxrss of the
   worker process) on each store.
Prints one JSON object; asserts nothing. Usage: python bench/storage.py [PAGES] [BIG_MB]
"""

import json
import os
import secrets
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from capture import start_site  # noqa: E402 - a sibling bench script, as bench/browser.py does

from linkhome.testing.http import LocalHTTPServer  # noqa: E402 - after the path fix
from linkhome.testing.s3 import S3Server  # noqa: E402

PYTHON = sys.executable


def instance(store: dict) -> tuple[Path, dict]:
    data_dir = Path(tempfile.mkdtemp(prefix="linkhome-bench-storage-"))
    env = {
        **os.environ,
        "LINKHOME_DATA_DIR": str(data_dir),
        "LINKHOME_ALLOW_PRIVATE_NETWORKS": "1",
        "LINKHOME_HOST_DELAY": "0",
        "LINKHOME_HOST_REQUESTS": "8",
        "LINKHOME_BROWSER": "off",
        "DJANGO_SETTINGS_MODULE": "linkhome.settings",
        **store,
    }
    env.pop("DATABASE_URL", None)
    return data_dir, env


def capture_all(env: dict, urls: list[str]) -> dict:
    subprocess.run(
        [PYTHON, "-m", "linkhome.cli.main", "add", "--file", "-"],
        input="\n".join(urls),
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    started = time.perf_counter()
    worker = subprocess.Popen(
        [PYTHON, "-m", "linkhome.cli.main", "worker", "--batch"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    _, status, usage = os.wait4(worker.pid, 0)
    elapsed = time.perf_counter() - started
    with sqlite3.connect(Path(env["LINKHOME_DATA_DIR"]) / "linkhome.sqlite3") as db:
        rows = db.execute("SELECT status, count(*) FROM capture_snapshot GROUP BY status")
        statuses = dict(rows.fetchall())
    return {
        "seconds": round(elapsed, 2),
        "pages_per_second": round(len(urls) / elapsed, 2),
        "worker_peak_rss_mib": round(usage.ru_maxrss / 1024, 1),
        "exit": os.waitstatus_to_exitcode(status),
        "statuses": statuses,
    }


def main() -> None:
    pages = int(sys.argv[1]) if len(sys.argv) > 1 else 40
    big_mb = int(sys.argv[2]) if len(sys.argv) > 2 else 48
    site, port, count = start_site(pages)
    big = os.urandom(big_mb * 1024 * 1024)
    report: dict = {"pages": count, "big_mb": big_mb, "runs": []}
    try:
        with S3Server() as s3, LocalHTTPServer() as server:
            server.route("/big.bin", body=big, headers=[("Content-Type", "application/x-data")])
            for kind in ("file", "s3"):
                bucket = f"bench-{secrets.token_hex(4)}"
                s3.create_bucket(bucket)
                store = {**s3.env(bucket), "LINKHOME_STORAGE": kind}
                data_dir, env = instance(store)
                urls = [f"http://127.0.0.1:{port}/q/{n}.html" for n in range(count)]
                pages_run = capture_all(env, urls)
                shutil.rmtree(data_dir)
                data_dir, env = instance(store)
                big_run = capture_all(env, [server.url("/big.bin")])
                shutil.rmtree(data_dir)
                report["runs"].append({"storage": kind, "pages": pages_run, "big": big_run})
    finally:
        site.kill()
    print(json.dumps(report, indent=2))


if __name__ == "__main__":
    main()
