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


def serve_env(tmp_path) -> dict[str, str]:
    env = {
        **os.environ,
        "LINKHOME_DATA_DIR": str(tmp_path),
        "DJANGO_SETTINGS_MODULE": "linkhome.settings",
    }
    env.pop("DATABASE_URL", None)
    return env


def start_serve(env: dict[str, str], port: int) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "linkhome.cli.main", "serve", "--port", str(port)], env=env
    )


def alive(pids: list[int]) -> list[int]:
    """Those of `pids` still running (a zombie waiting for its reaper has stopped)."""
    running = []
    for pid in pids:
        try:
            with open(f"/proc/{pid}/stat") as stat:
                state = stat.read().rsplit(")", 1)[1].split()[0]
        except OSError:
            continue
        if state not in ("Z", "X"):
            running.append(pid)
    return running


def descendants(pid: int) -> list[int]:
    found = []
    for child in children_of(pid):
        found += [child, *descendants(child)]
    return found


def test_serve_answers_and_stops_its_children(tmp_path):
    port = free_port()
    serve = start_serve(serve_env(tmp_path), port)
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


def test_a_killed_serve_takes_its_children_along_and_can_start_again(tmp_path):
    """kill -9 runs no cleanup in serve: the kernel must stop gunicorn, its workers and the
    capture worker, or the next serve fails with "Connection in use"."""
    port = free_port()
    env = serve_env(tmp_path)
    serve = start_serve(env, port)
    again = None
    try:
        wait_until_up(f"http://127.0.0.1:{port}/")
        family = descendants(serve.pid)
        assert len(family) >= 4  # gunicorn, its two web workers, the capture worker
        serve.kill()
        serve.wait(timeout=10)
        deadline = time.monotonic() + 30
        while alive(family) and time.monotonic() < deadline:
            time.sleep(0.2)
        assert not alive(family), "children outlived their killed supervisor"
        again = start_serve(env, port)
        assert wait_until_up(f"http://127.0.0.1:{port}/").status_code == 200
        assert again.poll() is None
    finally:
        for process in (serve, again):
            if process is not None and process.poll() is None:
                process.terminate()
                process.wait(timeout=20)
