"""A worker that a capture grew past LINKHOME_WORKER_RECYCLE_MIB replaces itself with a
fresh copy (same process id) after the capture, and goes on working."""

import os
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from linkhome.testing.processes import cli_json, linkhome_env, start_worker, wait_for_status

# About 1 MB of markup: parsing it grows any worker by more than the 1 MiB allowed below.
BIG_PAGE = b"<html><title>big</title><body>" + b"<p>words <b>and</b> more</p>\n" * 35_000


def heartbeats(data_dir: Path) -> list[tuple[str, int]]:
    with sqlite3.connect(data_dir / "linkhome.sqlite3", timeout=20) as db:
        return db.execute("SELECT worker_id, pid FROM capture_heartbeat").fetchall()


def wait_for_heartbeat(data_dir: Path, unlike: set[str], seconds: float = 60) -> tuple[str, int]:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        fresh = [row for row in heartbeats(data_dir) if row[0] not in unlike]
        if fresh:
            return fresh[0]
        time.sleep(0.3)
    raise AssertionError(f"no new worker heartbeat: {heartbeats(data_dir)}")


def test_a_worker_grown_by_a_capture_restarts_itself_and_keeps_working(http_server, tmp_path):
    http_server.route("/big", body=BIG_PAGE, headers=[("Content-Type", "text/html")])
    http_server.route(
        "/small",
        body=b"<html><title>small</title><p>x</p></html>",
        headers=[("Content-Type", "text/html")],
    )
    env = linkhome_env(tmp_path, LINKHOME_WORKER_RECYCLE_MIB="1", LINKHOME_CAPTURE_THREADS="1")
    # The first capture of a worker may grow it by what it loads once; the second not.
    pages = [cli_json(env, "add", http_server.url(f"/big?{n}"))["snapshot"]["id"] for n in range(2)]
    worker = start_worker(env)
    try:
        first_id, first_pid = wait_for_heartbeat(tmp_path, set())
        for page in pages:
            assert wait_for_status(env, page, seconds=120)["status"] in ("succeeded", "partial")
        second_id, second_pid = wait_for_heartbeat(tmp_path, {first_id})
        assert second_pid == first_pid == worker.pid  # exec: the supervisor sees no exit
        assert worker.poll() is None
        assert first_id not in {row[0] for row in heartbeats(tmp_path)}
        small = cli_json(env, "add", http_server.url("/small"))["snapshot"]["id"]
        assert wait_for_status(env, small)["status"] == "succeeded"
    finally:
        worker.terminate()
        worker.wait(timeout=20)


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("LINKHOME_CAPTURE_THREADS", "0"),
        ("LINKHOME_CAPTURE_THREADS", "two"),
        ("LINKHOME_CAPTURE_DEADLINE", "0"),
        ("LINKHOME_CAPTURE_PARSE_BYTES", "10"),
        ("LINKHOME_WORKER_RECYCLE_MIB", "-1"),
        ("LINKHOME_WORKER_RECYCLE_MIB", "lots"),
    ],
)
def test_a_bad_worker_setting_stops_the_start_and_names_itself(name, value):
    env = {**os.environ, name: value}
    result = subprocess.run(
        [sys.executable, "-c", "import linkhome.settings"], env=env, capture_output=True, text=True
    )
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr and name in result.stderr
