"""kill -9 the worker during a 10,000-entry import: after a restart every entry is a link
exactly once, counted once, with one snapshot and one queued capture each. Real processes:
`linkhome import` waiting on a real worker, which is killed mid-import."""

import signal
import sqlite3
import subprocess
import sys
import time

from linkhome.testing.processes import linkhome_env, run_cli, start_worker

STALE_SECONDS = "2"
ENTRIES = 10_000
REPEATS = 300  # addresses given twice


def query(database, sql: str) -> list[tuple]:
    with sqlite3.connect(f"file:{database}?mode=ro", uri=True, timeout=30) as connection:
        return connection.execute(sql).fetchall()


def wait_until(condition, seconds: float, what: str) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            if condition():
                return
        except sqlite3.OperationalError:
            pass  # the table is not there yet, or locked for a moment
        time.sleep(0.1)
    raise AssertionError(f"never happened: {what}")


def test_a_killed_import_resumes_without_duplicates(tmp_path):
    env = linkhome_env(
        tmp_path / "data", LINKHOME_WORKER_STALE_SECONDS=STALE_SECONDS, LINKHOME_CAPTURE_THREADS="1"
    )
    database = tmp_path / "data" / "linkhome.sqlite3"
    lines = [f"https://host{n % 97}.example.invalid/page/{n}\n" for n in range(ENTRIES - REPEATS)]
    lines += lines[:REPEATS]
    source = tmp_path / "list.txt"
    source.write_text("".join(lines))
    assert run_cli(env, "createuser", "alice", "--no-password").returncode == 0
    first = start_worker(env)
    importer = None
    try:
        wait_until(
            lambda: query(database, "select count(*) from capture_heartbeat")[0][0],
            60,
            "a heartbeat",
        )
        importer = subprocess.Popen(
            [sys.executable, "-m", "linkhome.cli.main", "import", str(source), "--json"],
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        progress = "select status, entries_read from imports_importjob"
        wait_until(
            lambda: (
                (row := query(database, progress)) and row[0][0] == "running" and row[0][1] >= 1000
            ),
            120,
            "the worker half way through the import",
        )
        first.send_signal(signal.SIGKILL)
        first.wait(timeout=10)
        status, read = query(database, progress)[0]
        assert status == "running" and read < ENTRIES, "killed too late to prove anything"
        time.sleep(float(STALE_SECONDS) + 0.5)
        second = start_worker(env)
        try:
            out, err = importer.communicate(timeout=240)
        finally:
            second.send_signal(signal.SIGKILL)
            second.wait(timeout=10)
    finally:
        first.kill()
        if importer is not None and importer.poll() is None:
            importer.kill()
    assert importer.returncode == 0, err
    unique = ENTRIES - REPEATS
    assert '"status": "done"' in out
    job = query(
        database,
        "select added, duplicates, refused, entries_read, captures_queued from imports_importjob",
    )
    assert job == [(unique, REPEATS, 0, ENTRIES, unique)]
    assert query(database, "select count(*), count(distinct normalized_url) from links_link") == [
        (unique, unique)
    ]
    assert query(
        database, "select count(*), count(distinct link_id) from imports_importedlink"
    ) == [(unique, unique)]
    assert query(database, "select count(*), count(distinct link_id) from capture_snapshot") == [
        (unique, unique)
    ]
    # Every snapshot has its capture queued, and none twice in the bulk lane. (The second
    # worker may have tried a few already: their retries are rows of the retry lane.)
    captures = "from django_tasks_database_dbtaskresult where task_path like '%capture_snapshot'"
    assert query(database, f"select count(distinct args_kwargs) {captures}") == [(unique,)]
    bulk = query(
        database,
        f"select count(*), count(distinct args_kwargs) {captures} and queue_name = 'capture-later'",
    )
    assert bulk[0][0] == bulk[0][1]
