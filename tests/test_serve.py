"""`linkhome serve` runs the web server and a worker, and stops both on SIGTERM."""

import os
import signal
import socket
import subprocess
import sys
import time

import httpx


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_until_up(url: str, seconds: float = 60) -> httpx.Response:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            return httpx.get(url, timeout=2)
        except httpx.TransportError:
            time.sleep(0.3)
    raise AssertionError(f"{url} never answered")


def children_of(pid: int) -> list[int]:
    out = subprocess.run(["pgrep", "-P", str(pid)], capture_output=True, text=True).stdout
    return [int(line) for line in out.split()]


def test_serve_answers_and_stops_its_children(tmp_path):
    port = free_port()
    env = {
        **os.environ,
        "LINKHOME_DATA_DIR": str(tmp_path),
        "DJANGO_SETTINGS_MODULE": "linkhome.settings",
    }
    env.pop("DATABASE_URL", None)
    serve = subprocess.Popen(
        [sys.executable, "-m", "linkhome.cli.main", "serve", "--port", str(port)], env=env
    )
    try:
        home = wait_until_up(f"http://127.0.0.1:{port}/")
        assert home.status_code == 200 and "link之家" in home.text
        children = children_of(serve.pid)
        assert len(children) == 2  # gunicorn and the worker
        serve.send_signal(signal.SIGTERM)
        serve.wait(timeout=20)
        time.sleep(0.5)
        assert not [pid for pid in children if os.path.exists(f"/proc/{pid}")]
    finally:
        serve.kill()
