"""`linkhome serve` (web server + worker together) and `linkhome worker`."""

import argparse
import contextlib
import os
import signal
import subprocess
import sys
import time

from linkhome.cli.arguments import MAX_PORT, MAX_PROCESSES, MAX_TASKS, bounded
from linkhome.lib.processes import die_with_parent

RESTART_DELAY_SECONDS = 2.0
WORKER_MODULE = ["-m", "linkhome.worker"]


def register(sub: argparse._SubParsersAction) -> None:
    serve = sub.add_parser("serve", help="run the web server and a worker")
    serve.add_argument("--host", help="default: LINKHOME_HOST or 127.0.0.1")
    serve.add_argument("--port", type=bounded(1, MAX_PORT), help="default: LINKHOME_PORT or 8000")
    serve.add_argument(
        "--web-workers",
        type=bounded(1, MAX_PROCESSES),
        default=2,
        help="gunicorn worker processes",
    )
    serve.add_argument(
        "--workers", type=bounded(0, MAX_PROCESSES), default=1, help="capture worker processes"
    )
    serve.set_defaults(handler=serve_command)
    worker = sub.add_parser("worker", help="run a capture worker")
    worker.add_argument("--batch", action="store_true", help="exit when the queue is empty")
    worker.add_argument("--max-tasks", type=bounded(1, MAX_TASKS), default=None)
    worker.set_defaults(handler=worker_command)


def worker_args(args: argparse.Namespace) -> list[str]:
    extra = ["--batch"] if args.batch else []
    return extra + (["--max-tasks", str(args.max_tasks)] if args.max_tasks else [])


def worker_command(args: argparse.Namespace) -> int:
    # The worker is its own program (python -m linkhome.worker); the CLI only starts it.
    os.execv(sys.executable, [sys.executable, *WORKER_MODULE, *worker_args(args)])


def serve_command(args: argparse.Namespace) -> int:
    from django.core.management import call_command

    from linkhome.settings import env_int, env_str

    args.host = args.host or env_str("LINKHOME_HOST", "127.0.0.1")
    args.port = args.port or env_int("LINKHOME_PORT", 8000)  # a bad value names itself

    call_command("collectstatic", interactive=False, verbosity=0)
    # SIGTERM (systemd, docker, kill) must stop the children too, not orphan them.
    signal.signal(signal.SIGTERM, _raise_interrupt)
    web = _start(_gunicorn_command(args))
    workers = [_start_worker() for _ in range(args.workers)]
    print(f"LinkHome is running on http://{args.host}:{args.port}/ (Ctrl-C to stop)", flush=True)
    try:
        return _supervise(web, workers)
    finally:
        _stop([web, *workers])


def _raise_interrupt(signum: int, frame: object) -> None:
    raise KeyboardInterrupt


def _gunicorn_command(args: argparse.Namespace) -> list[str]:
    return [
        sys.executable,
        "-m",
        "gunicorn",
        "linkhome.wsgi:application",
        "--bind",
        f"{args.host}:{args.port}",
        "--workers",
        str(args.web_workers),
        "--threads",
        "4",
        "--access-logfile",
        "-",
        "--timeout",
        "60",
    ]


def _start_worker() -> subprocess.Popen:
    return _start([sys.executable, *WORKER_MODULE])


def _start(command: list[str]) -> subprocess.Popen:
    """A child in a process group of its own, told by the kernel when serve dies.

    Even `kill -9` of serve, which runs no cleanup, then stops gunicorn and the worker, so
    the next `linkhome serve` finds the port free. The group lets _stop reach what the
    child started (gunicorn's workers, the worker's browser) as one."""
    return subprocess.Popen(command, process_group=0, preexec_fn=die_with_parent())


def _supervise(web: subprocess.Popen, workers: list[subprocess.Popen]) -> int:
    # A worker that crashes is started again; the web server stopping ends serve.
    while web.poll() is None:
        for index, worker in enumerate(workers):
            if worker.poll() is not None:
                print("linkhome: the worker stopped; starting it again", file=sys.stderr)
                time.sleep(RESTART_DELAY_SECONDS)
                workers[index] = _start_worker()
        time.sleep(1)
    return web.returncode or 0


def _stop(processes: list[subprocess.Popen]) -> None:
    for process in processes:
        _signal_group(process, signal.SIGTERM)
    for process in processes:
        with contextlib.suppress(subprocess.TimeoutExpired):
            process.wait(timeout=10)
        _signal_group(process, signal.SIGKILL)  # whatever is left of its group


def _signal_group(process: subprocess.Popen, signum: int) -> None:
    with contextlib.suppress(ProcessLookupError):  # the group is gone: nothing to stop
        os.killpg(process.pid, signum)
