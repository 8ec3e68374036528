"""Processes started together on a fresh data directory (or a new PostgreSQL database) all
come up: one migrates, the others wait for it. Before the lock, a worker and a `linkhome
add` started at the same moment both created the tables and the second died ("table
auth_permission already exists"); bench/import_hand_add.py found it."""

import subprocess
import sys
import uuid

import psycopg
import pytest

from linkhome.testing.processes import linkhome_env

ADMIN_URL = "postgresql://postgres@127.0.0.1:5432/postgres"
TOGETHER = 2  # the race needs two; each more costs a migration's CPU
READY = "from linkhome import bootstrap; bootstrap.ready(); print('ready')"


@pytest.fixture
def fresh_postgres():
    name = f"linkhome_fresh_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(ADMIN_URL, autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    try:
        yield f"postgres://postgres@127.0.0.1:5432/{name}"
    finally:
        with psycopg.connect(ADMIN_URL, autocommit=True) as admin:
            admin.execute(f'DROP DATABASE "{name}" WITH (FORCE)')


def start_together(env: dict) -> list[subprocess.CompletedProcess]:
    processes = [
        subprocess.Popen(
            [sys.executable, "-c", READY],
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for _ in range(TOGETHER)
    ]
    results = []
    for process in processes:
        out, err = process.communicate(timeout=120)
        results.append(subprocess.CompletedProcess(process.args, process.returncode, out, err))
    return results


def test_processes_started_together_on_a_fresh_data_directory_all_come_up(tmp_path):
    results = start_together(linkhome_env(tmp_path))
    assert [r.returncode for r in results] == [0] * TOGETHER, [r.stderr[-600:] for r in results]
    assert all(r.stdout.strip() == "ready" for r in results)


def test_processes_started_together_on_a_new_postgresql_database_all_come_up(
    tmp_path, fresh_postgres
):
    results = start_together(linkhome_env(tmp_path, DATABASE_URL=fresh_postgres))
    assert [r.returncode for r in results] == [0] * TOGETHER, [r.stderr[-600:] for r in results]
