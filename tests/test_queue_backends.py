"""The same capture through each queue: the database (default) and Redis (RQ).

Real worker processes against real services; Redis uses a database number of its own,
emptied before and after.
"""

import json
import os
import sqlite3
import subprocess
import sys
import time

import pytest
import redis

REDIS_URL = "redis://127.0.0.1:6379/13"


@pytest.fixture(params=["db", "rq"])
def queue_env(request, tmp_path):
    env = {
        **os.environ,
        "LINKHOME_QUEUE": request.param,
        "REDIS_URL": REDIS_URL,
        "LINKHOME_DATA_DIR": str(tmp_path),
        "LINKHOME_ALLOW_PRIVATE_NETWORKS": "1",
        "LINKHOME_CAPTURE_RETRY_BACKOFF": "0.5",
        "DJANGO_SETTINGS_MODULE": "linkhome.settings",
    }
    env.pop("DATABASE_URL", None)
    if request.param == "rq":
        client = redis.Redis.from_url(REDIS_URL)
        try:
            client.flushdb()
        except redis.ConnectionError as exc:
            pytest.fail(f"Redis is not reachable at {REDIS_URL} ({exc}); .ci/run starts it")
        request.addfinalizer(client.flushdb)
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
    return json.loads(out.stdout.splitlines()[0])


def wait_finished(env: dict, snapshot_id: int, seconds: float = 40) -> dict:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        shown = cli(env, "show", str(snapshot_id))["snapshot"]
        if shown["status"] in ("succeeded", "partial", "failed"):
            return shown
        time.sleep(0.3)
    raise AssertionError(f"snapshot {snapshot_id} did not finish: {shown}")


def test_a_worker_captures_through_the_queue_and_retries_later(http_server, queue_env):
    answers = iter([503, 200])

    def flaky(request):
        status = next(answers, 200)
        return status, [("Content-Type", "text/html")], b"<html><title>ok</title><p>done</p></html>"

    http_server.route("/flaky", handler=flaky)
    http_server.route(
        "/plain",
        body=b"<html><title>plain</title><p>x</p></html>",
        headers=[("Content-Type", "text/html")],
    )
    first = cli(queue_env, "add", http_server.url("/plain"))["snapshot"]["id"]
    second = cli(queue_env, "add", http_server.url("/flaky"))["snapshot"]["id"]
    worker = subprocess.Popen([sys.executable, "-m", "linkhome.worker"], env=queue_env)
    try:
        assert wait_finished(queue_env, first)["status"] == "succeeded"
        retried = wait_finished(queue_env, second)  # 503 first: queued again with a delay
        assert retried["status"] == "succeeded" and retried["title"] == "ok"
    finally:
        worker.terminate()
        worker.wait(timeout=15)
    assert worker.returncode is not None


def test_a_queued_snapshot_whose_task_was_lost_is_queued_again(http_server, queue_env):
    http_server.route(
        "/p", body=b"<html><title>p</title><p>x</p></html>", headers=[("Content-Type", "text/html")]
    )
    sid = cli(queue_env, "add", http_server.url("/p"))["snapshot"]["id"]
    # The task is lost (a Redis restart without persistence, a wiped table); the snapshot
    # is still queued in the database.
    if queue_env["LINKHOME_QUEUE"] == "rq":
        redis.Redis.from_url(REDIS_URL).flushdb()
    else:
        with sqlite3.connect(
            os.path.join(queue_env["LINKHOME_DATA_DIR"], "linkhome.sqlite3")
        ) as db:
            db.execute("DELETE FROM django_tasks_database_dbtaskresult")
    batch = subprocess.run(
        [sys.executable, "-m", "linkhome.worker", "--batch"], env=queue_env, timeout=60
    )
    assert batch.returncode == 0
    assert wait_finished(queue_env, sid, seconds=5)["status"] == "succeeded"
