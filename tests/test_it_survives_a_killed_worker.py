"""A worker killed (SIGKILL) mid-capture loses nothing: another worker finishes the job."""

import signal
import time

from linkhome.testing.processes import cli_json, linkhome_env, start_worker, wait_for_status

STALE_SECONDS = "2"


def test_a_killed_workers_capture_is_finished_by_the_next_worker(http_server, tmp_path):
    calls = []

    def slow_first_time(request):
        calls.append(time.monotonic())
        if len(calls) == 1:
            time.sleep(6)  # the first worker is killed while it waits here
        return (
            200,
            [("Content-Type", "text/html")],
            b"<html><title>kept</title><p>survived</p></html>",
        )

    http_server.route("/slow", handler=slow_first_time)
    env = linkhome_env(tmp_path, LINKHOME_WORKER_STALE_SECONDS=STALE_SECONDS)
    snapshot_id = cli_json(env, "add", http_server.url("/slow"))["snapshot"]["id"]
    first = start_worker(env)
    try:
        wait_for_status(env, snapshot_id, ("running",))
        first.send_signal(signal.SIGKILL)
        first.wait(timeout=10)
    finally:
        first.kill()
    time.sleep(float(STALE_SECONDS) + 0.5)  # the dead worker's heartbeat goes stale
    second = start_worker(env, "--batch")
    assert second.wait(timeout=60) == 0
    shown = wait_for_status(env, snapshot_id, ("succeeded",), seconds=5)
    assert shown["title"] == "kept" and len(calls) == 2
