"""Run `linkhome` as a person would, in real processes, for end-to-end tests. No Django
(the waiting reads the database with sqlite3 or psycopg)."""

import json
import os
import sqlite3
import subprocess
import sys
import time
from contextlib import closing
from pathlib import Path

import psycopg

FINISHED = ("succeeded", "partial", "failed")


def linkhome_env(data_dir: Path | str, **settings: str) -> dict[str, str]:
    """The environment of an instance in `data_dir` that may fetch from 127.0.0.1."""
    env = {
        **os.environ,
        "LINKHOME_DATA_DIR": str(data_dir),
        "LINKHOME_ALLOW_PRIVATE_NETWORKS": "1",
        "DJANGO_SETTINGS_MODULE": "linkhome.settings",
        **settings,
    }
    if "DATABASE_URL" not in settings:
        env.pop("DATABASE_URL", None)  # the embedded default unless a test says otherwise
    return env


def run_cli(env: dict, *args: str, stdin: str = "") -> subprocess.CompletedProcess:
    command = [sys.executable, "-m", "linkhome.cli.main", *args]
    return subprocess.run(
        command, input=stdin, env=env, capture_output=True, text=True, timeout=120
    )


def cli_json(env: dict, *args: str) -> dict:
    """The first JSON object a `--json` command prints; fails loudly on a non-zero exit."""
    result = run_cli(env, *args, "--json")
    if result.returncode != 0:
        raise AssertionError(f"linkhome {' '.join(args)} failed: {result.stderr}")
    return json.loads(result.stdout.splitlines()[0])


def start_worker(env: dict, *args: str) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "linkhome.worker", *args], env=env)


def wait_for_status(
    env: dict, snapshot_id: int, wanted: tuple[str, ...] = FINISHED, seconds: float = 40
) -> dict:
    """`linkhome show --json` of the snapshot once its status is one of `wanted`.

    The waiting reads the status straight from the instance's database: a `linkhome` process
    per look costs about a second of CPU, which a small machine takes from the very worker
    being waited for. What is returned (and asserted on) is still the CLI's answer."""
    deadline = time.monotonic() + seconds
    shown: dict = {}
    while time.monotonic() < deadline:
        if snapshot_status(env, snapshot_id) in wanted:
            shown = cli_json(env, "show", str(snapshot_id))["snapshot"]
            if shown["status"] in wanted:
                return shown
        time.sleep(0.1)
    shown = cli_json(env, "show", str(snapshot_id))["snapshot"]
    if shown["status"] in wanted:
        return shown
    raise AssertionError(f"snapshot {snapshot_id} never became {wanted}: {shown}")


def snapshot_status(env: dict, snapshot_id: int) -> str | None:
    """The status column of the snapshot in the instance's database (the embedded SQLite
    file in its data directory, or its DATABASE_URL); None while it cannot be read."""
    query = "SELECT status FROM capture_snapshot WHERE id = %s"
    try:
        if "DATABASE_URL" in env:
            with psycopg.connect(env["DATABASE_URL"], connect_timeout=5) as server:
                row = server.execute(query, (snapshot_id,)).fetchone()
        else:
            path = Path(env["LINKHOME_DATA_DIR"]) / "linkhome.sqlite3"
            with closing(sqlite3.connect(path, timeout=20)) as embedded:
                row = embedded.execute(query.replace("%s", "?"), (snapshot_id,)).fetchone()
    except (sqlite3.Error, psycopg.Error):
        return None  # not created yet, or the database is away for a moment
    return row[0] if row else None
