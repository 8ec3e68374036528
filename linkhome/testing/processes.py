"""Run `linkhome` as a person would, in real processes, for end-to-end tests. No Django."""

import json
import os
import subprocess
import sys
import time
from pathlib import Path

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
    deadline = time.monotonic() + seconds
    shown: dict = {}
    while time.monotonic() < deadline:
        shown = cli_json(env, "show", str(snapshot_id))["snapshot"]
        if shown["status"] in wanted:
            return shown
        time.sleep(0.3)
    raise AssertionError(f"snapshot {snapshot_id} never became {wanted}: {shown}")
