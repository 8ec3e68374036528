"""`linkhome serve` as a real process on a free port of 127.0.0.1, for end-to-end tests."""

import signal
import socket
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import httpx

from linkhome.testing.processes import linkhome_env

START_SECONDS = 60


@dataclass
class LinkhomeServer:
    """A running `linkhome serve` (web server and worker) on its own data directory."""

    url: str
    env: dict[str, str]  # for the CLI against the same instance (linkhome.testing.processes)
    process: subprocess.Popen
    log: Path  # what serve, gunicorn and the worker printed

    def log_tail(self, lines: int = 40) -> str:
        return "\n".join(self.log.read_text(errors="replace").splitlines()[-lines:])


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start(data_dir: Path, port: int = 0, **settings: str) -> LinkhomeServer:
    """Starts serve on the embedded default (SQLite in `data_dir`), allowed to capture
    127.0.0.1, and returns once it answers HTTP on /. `settings`: more LINKHOME_* variables
    (a test that needs the port in one of them picks it first with free_port())."""
    env = linkhome_env(data_dir, LINKHOME_CAPTURE_RETRY_BACKOFF="0.5", **settings)
    port = port or free_port()
    # One web worker (with its 4 threads) is plenty for a browser or two, and on a busy
    # 2-core machine every extra process makes the start slower.
    command = [sys.executable, "-m", "linkhome.cli.main", "serve", "--web-workers", "1"]
    log = data_dir / "serve.log"  # not the test's output: gunicorn logs every request
    with log.open("wb") as out:
        process = subprocess.Popen(
            [*command, "--host", "127.0.0.1", "--port", str(port)],
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    server = LinkhomeServer(f"http://127.0.0.1:{port}", env, process, log)
    try:
        _wait_until_up(server)
    except BaseException:
        stop(server)
        raise
    return server


def _wait_until_up(server: LinkhomeServer) -> None:
    deadline = time.monotonic() + START_SECONDS
    while time.monotonic() < deadline:
        if server.process.poll() is not None:
            raise RuntimeError(f"linkhome serve exited early:\n{server.log_tail()}")
        try:  # the first answer waits for Django to load: patience, not a pile of retries
            httpx.get(server.url, timeout=20)
            return
        except httpx.TransportError:
            time.sleep(0.2)
    raise RuntimeError(f"linkhome serve never answered on {server.url}:\n{server.log_tail()}")


def stop(server: LinkhomeServer) -> None:
    # SIGTERM lets serve stop the gunicorn and worker it started; kill only if it hangs.
    server.process.send_signal(signal.SIGTERM)
    try:
        server.process.wait(timeout=15)
    except subprocess.TimeoutExpired:
        server.process.kill()
        server.process.wait()
