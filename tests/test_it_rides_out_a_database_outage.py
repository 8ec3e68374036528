"""A database that drops its connections for a moment does not kill the worker.

Real PostgreSQL: the worker's connections are terminated by the server (as a restart or a
failover would), and the worker must reconnect and keep capturing.
"""

import uuid

import psycopg
import pytest

from linkhome.testing.processes import cli_json, linkhome_env, start_worker, wait_for_status

ADMIN_URL = "postgresql://postgres@127.0.0.1:5432/postgres"


@pytest.fixture
def scratch_database():
    name = f"linkhome_outage_{uuid.uuid4().hex[:8]}"
    try:
        admin = psycopg.connect(ADMIN_URL, autocommit=True)
    except psycopg.OperationalError as exc:
        pytest.fail(f"PostgreSQL is not reachable on 127.0.0.1:5432 ({exc}); .ci/run starts it")
    admin.execute(f'CREATE DATABASE "{name}"')
    try:
        yield admin, name
    finally:
        admin.execute(f'DROP DATABASE "{name}" WITH (FORCE)')
        admin.close()


def test_the_worker_reconnects_after_its_connections_are_killed(
    http_server, scratch_database, tmp_path
):
    admin, name = scratch_database
    http_server.route(
        "/a",
        body=b"<html><title>a</title><p>first</p></html>",
        headers=[("Content-Type", "text/html")],
    )
    http_server.route(
        "/b",
        body=b"<html><title>b</title><p>second</p></html>",
        headers=[("Content-Type", "text/html")],
    )
    env = linkhome_env(tmp_path, DATABASE_URL=f"postgres://postgres@127.0.0.1:5432/{name}")
    first = cli_json(env, "add", http_server.url("/a"))["snapshot"]["id"]
    worker = start_worker(env)
    try:
        assert wait_for_status(env, first)["status"] == "succeeded"
        killed = admin.execute(
            "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE datname = %s AND pid <> pg_backend_pid()",
            (name,),
        ).fetchone()[0]
        assert killed >= 1
        second = cli_json(env, "add", http_server.url("/b"))["snapshot"]["id"]
        assert wait_for_status(env, second)["status"] == "succeeded"
        assert worker.poll() is None
    finally:
        worker.terminate()
        worker.wait(timeout=15)
