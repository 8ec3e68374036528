"""The same capture through each queue: the database (default) and Redis (RQ).

Real worker processes against real services; Redis uses a database number of its own,
emptied before and after.
"""

import os
import sqlite3

import pytest
import redis

from linkhome.testing.processes import cli_json, linkhome_env, start_worker, wait_for_status

REDIS_URL = "redis://127.0.0.1:6379/13"


@pytest.fixture(params=["db", "rq"])
def queue_env(request, tmp_path):
    env = linkhome_env(
        tmp_path,
        LINKHOME_QUEUE=request.param,
        REDIS_URL=REDIS_URL,
        LINKHOME_CAPTURE_RETRY_BACKOFF="0.5",
    )
    if request.param == "rq":
        client = redis.Redis.from_url(REDIS_URL)
        try:
            client.flushdb()
        except redis.ConnectionError as exc:
            pytest.fail(f"Redis is not reachable at {REDIS_URL} ({exc}); .ci/run starts it")
        request.addfinalizer(client.flushdb)
    return env


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
    first = cli_json(queue_env, "add", http_server.url("/plain"))["snapshot"]["id"]
    second = cli_json(queue_env, "add", http_server.url("/flaky"))["snapshot"]["id"]
    worker = start_worker(queue_env)
    try:
        assert wait_for_status(queue_env, first)["status"] == "succeeded"
        retried = wait_for_status(queue_env, second)  # 503 first: queued again with a delay
        assert retried["status"] == "succeeded" and retried["title"] == "ok"
    finally:
        worker.terminate()
        worker.wait(timeout=15)
    assert worker.returncode is not None


def test_a_queued_snapshot_whose_task_was_lost_is_queued_again(http_server, queue_env):
    http_server.route(
        "/p", body=b"<html><title>p</title><p>x</p></html>", headers=[("Content-Type", "text/html")]
    )
    sid = cli_json(queue_env, "add", http_server.url("/p"))["snapshot"]["id"]
    # The task is lost (a Redis restart without persistence, a wiped table); the snapshot
    # is still queued in the database.
    if queue_env["LINKHOME_QUEUE"] == "rq":
        redis.Redis.from_url(REDIS_URL).flushdb()
    else:
        with sqlite3.connect(
            os.path.join(queue_env["LINKHOME_DATA_DIR"], "linkhome.sqlite3")
        ) as db:
            db.execute("DELETE FROM django_tasks_database_dbtaskresult")
    assert start_worker(queue_env, "--batch").wait(timeout=60) == 0
    assert wait_for_status(queue_env, sid, seconds=5)["status"] == "succeeded"
