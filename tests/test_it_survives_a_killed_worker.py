"""A worker killed (SIGKILL) mid-capture loses nothing: another worker finishes the job."""

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

STALE_SECONDS = "2"


def environment(data_dir: Path) -> dict:
    env = {
        **os.environ,
        "LINKHOME_DATA_DIR": str(data_dir),
        "LINKHOME_ALLOW_PRIVATE_NETWORKS": "1",
        "LINKHOME_WORKER_STALE_SECONDS": STALE_SECONDS,
        "DJANGO_SETTINGS_MODULE": "linkhome.settings",
    }
    env.pop("DATABASE_URL", None)
    return env


def cli(env: dict, *args: str) -> dict:
    out = subprocess.run(
        [sys.executable, "-m", "linkhome.cli.main", *args, "--json"],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    return json.loads(out.stdout)


def wait_for_status(env: dict, snapshot_id: int, wanted: str, seconds: float = 30) -> dict:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        shown = cli(env, "show", str(snapshot_id))["snapshot"]
        if shown["status"] == wanted:
            return shown
        time.sleep(0.2)
    raise AssertionError(f"snapshot {snapshot_id} never became {wanted}: {shown}")


def test_a_killed_workers_capture_is_finished_by_the_next_worker(http_server, tmp_path):
    calls = []

    def slow_first_time(request):
        calls.append(time.monotonic())
        if len(calls) == 1:
            time.sleep(8)  # the first worker is killed while it waits here
        return (
            200,
            [("Content-Type", "text/html")],
            b"<html><title>kept</title><p>survived</p></html>",
        )

    http_server.route("/slow", handler=slow_first_time)
    env = environment(tmp_path)
    snapshot_id = cli(env, "add", http_server.url("/slow"))["snapshot"]["id"]
    first = subprocess.Popen([sys.executable, "-m", "linkhome.worker"], env=env)
    try:
        wait_for_status(env, snapshot_id, "running")
        first.send_signal(signal.SIGKILL)
        first.wait(timeout=10)
    finally:
        first.kill()
    time.sleep(float(STALE_SECONDS) + 0.5)  # the dead worker's heartbeat goes stale
    second = subprocess.run(
        [sys.executable, "-m", "linkhome.worker", "--batch"], env=env, timeout=60
    )
    assert second.returncode == 0
    shown = wait_for_status(env, snapshot_id, "succeeded", seconds=5)
    assert shown["title"] == "kept" and len(calls) == 2
