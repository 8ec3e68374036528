"""Web latency and memory under load (issue 3): feed, tag page, snapshot page and add.

For each dataset size, a fresh SQLite data directory is seeded (bench/web_seed.py), the
real `linkhome serve` is started, and wrk drives each endpoint at 1, 10 and 50
concurrent connections as a signed-in person. Prints one JSON object; asserts nothing.

    .venv/bin/python bench/web.py [--sizes 1000,10000] [--duration 8] [--concurrency 1,10,50]

Latency (p50/p95/p99) is what wrk sees over loopback: the server's time including the
wait for a free gunicorn thread. server_p50/p95 come from gunicorn's own access log
(%(D)s: from the parsed request to the sent response, without that wait).
"""

import argparse
import contextlib
import http.cookiejar
import json
import os
import resource
import shutil
import signal
import socket
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from proctree import PeakSampler, cmdline, cpu_by_role, machine_busy_seconds, parent, tree
from web_site import start_site

ROOT = Path(__file__).resolve().parents[1]
BENCH = ROOT / "bench"
PYTHON = sys.executable
LINKHOME = str(Path(PYTHON).with_name("linkhome"))
TARGET_P95_MS, TARGET_CONCURRENCY, TARGET_MIB = 50, 50, 300
BUSY_MACHINE_SHARE = 0.2  # others used over a fifth of the CPU: the run measured a busy machine
WRK_TIMEOUT = "30s"  # wrk's default 2 s would drop slow answers from the percentiles
READY_SECONDS = 90
# wrk stops at the deadline, but the server still answers what it had queued (up to one
# request per connection): the next run starts once the log has been quiet this long.
QUIET_SECONDS, DRAIN_LIMIT_SECONDS = 1.0, 60
# One line per request: the run's label (an X-Bench-Run header set by web.lua, so a slow
# request of one run is never counted in the next), status, microseconds in gunicorn.
ACCESS_FORMAT = "ACCESS %({x-bench-run}i)s %(s)s %(D)s"
ENDPOINTS = ("feed", "tag", "snapshot", "add")  # the first word of each Endpoint.name


@dataclass(frozen=True)
class Endpoint:
    name: str
    mode: str  # "get" (paths file) or "add" (POST /add/)
    target: str  # a file of paths, or the base URL added links point to


@dataclass(frozen=True)
class Load:
    clients: int
    seconds: int
    label: str  # names the run in the access log (and in the added URLs)
    think_ms: int = 0


@dataclass
class Server:
    process: subprocess.Popen
    base: str
    log: Path


def main() -> None:
    args = parse_args()
    if not shutil.which("wrk"):
        sys.exit("wrk is missing: apt-get install -y wrk (make bench installs it)")
    site, site_url = start_site()
    try:
        report = {
            "cores": os.cpu_count(),
            "duration_s": args.duration,
            "think_ms": args.think_ms,
            "load_average_at_start": os.getloadavg(),
            "viewer": "signed in; owns 1/8 of the links, private ones included",
            "add_target": f"{site_url}/… (a local site: the worker really captures each add)",
            "sizes": {str(size): bench_size(size, args, site_url) for size in args.sizes},
        }
    finally:
        site.shutdown()
    report["target"] = {
        "p95_ms": TARGET_P95_MS,
        "at_concurrency": TARGET_CONCURRENCY,
        "web_plus_worker_mib": TARGET_MIB,
    }
    report["misses"] = misses(report["sizes"])
    report["busy_machine_runs"] = busy_runs(report["sizes"])
    print(json.dumps(report, indent=2, ensure_ascii=False))


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    numbers = lambda text: [int(part) for part in text.split(",") if part]  # noqa: E731
    parser.add_argument("--sizes", type=numbers, default=[1000, 10000], help="links per dataset")
    parser.add_argument("--duration", type=int, default=8, help="seconds per wrk run")
    parser.add_argument("--concurrency", type=numbers, default=[1, 10, 50])
    parser.add_argument("--warmup", type=int, default=2, help="seconds per endpoint, unmeasured")
    parser.add_argument(
        "--think-ms", type=int, default=0, help="pause per client between requests (0: none)"
    )
    parser.add_argument("--web-workers", type=int, help="passed to linkhome serve")
    parser.add_argument(
        "--endpoints",
        type=lambda text: text.split(","),
        default=list(ENDPOINTS),
        help=f"some of {','.join(ENDPOINTS)}",
    )
    parser.add_argument("--keep", action="store_true", help="keep the data directories")
    return parser.parse_args()


def bench_size(size: int, args: argparse.Namespace, site_url: str) -> dict:
    data_dir = Path(tempfile.mkdtemp(prefix=f"linkhome-web-bench-{size}-"))
    env = server_env(data_dir)
    try:
        seed = seed_data(env, size)
        with serving(data_dir, env, args) as server, sampling(server) as sampler:
            cookies = sign_in(server.base, seed["username"], seed["password"])
            results = {
                endpoint.name: bench_endpoint(server, endpoint, cookies, args)
                for endpoint in endpoints(data_dir, seed, site_url)
                if endpoint.name.split()[0] in args.endpoints
            }
            processes = process_counts(sampler, server)
        return {
            "seed": {k: seed[k] for k in ("links", "snapshots", "artifacts", "seed_seconds")},
            "tag_page_rows": seed["tag_rows"],
            "endpoints": results,
            "added_snapshots_by_status": added_statuses(data_dir, seed["snapshots"]),
            "processes": processes,
            "rss_peak_mib": sampler.peaks_mib("rss"),
            "pss_peak_mib": sampler.peaks_mib("pss"),
        }
    finally:
        if args.keep:
            print(f"kept {data_dir}", file=sys.stderr)
        else:
            shutil.rmtree(data_dir, ignore_errors=True)


def server_env(data_dir: Path) -> dict:
    env = {
        **os.environ,
        "LINKHOME_DATA_DIR": str(data_dir),
        "LINKHOME_ADD_LIMIT_PER_MINUTE": "100000000",  # still checked, never reached
        "LINKHOME_ALLOW_PRIVATE_NETWORKS": "1",  # the add site is on 127.0.0.1
        "GUNICORN_CMD_ARGS": f"--access-logformat '{ACCESS_FORMAT}'",
    }
    env.pop("DATABASE_URL", None)  # the embedded default: SQLite in the data directory
    env.pop("DJANGO_SETTINGS_MODULE", None)
    return env


def seed_data(env: dict, size: int) -> dict:
    command = [PYTHON, str(BENCH / "web_seed.py"), str(size)]
    done = subprocess.run(command, env=env, capture_output=True, text=True, check=False)
    if done.returncode:
        sys.exit(f"seeding failed:\n{done.stderr[-3000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def endpoints(data_dir: Path, seed: dict, site_url: str) -> list[Endpoint]:
    # The add runs last: the captures it queues keep the worker busy for a while.
    tag_path = f"/tags/{urllib.parse.quote(seed['tag'])}/"
    return [
        Endpoint("feed /", "get", paths_file(data_dir, "feed", ["/"])),
        Endpoint(f"tag /tags/{seed['tag']}/", "get", paths_file(data_dir, "tag", [tag_path])),
        Endpoint("snapshot /s/ID/", "get", seed["snapshot_paths_file"]),
        Endpoint("add POST /add/", "add", site_url),
    ]


def paths_file(data_dir: Path, name: str, paths: list[str]) -> str:
    path = data_dir / f"bench-{name}-paths.txt"
    path.write_text("".join(p + "\n" for p in paths))
    return str(path)


@contextlib.contextmanager
def serving(data_dir: Path, env: dict, args: argparse.Namespace) -> Iterator[Server]:
    port = free_port()
    log = data_dir / "serve.log"
    command = [LINKHOME, "serve", "--host", "127.0.0.1", "--port", str(port)]
    if args.web_workers:
        command += ["--web-workers", str(args.web_workers)]
    with open(log, "wb") as out, open(data_dir / "serve.err", "wb") as err:
        # Its own session, so whatever it leaves behind can be ended by its group id.
        process = subprocess.Popen(command, env=env, stdout=out, stderr=err, start_new_session=True)
    server = Server(process, f"http://127.0.0.1:{port}", log)
    try:
        wait_ready(server, data_dir)
        yield server
    finally:
        stop(process)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_ready(server: Server, data_dir: Path) -> None:
    deadline = time.monotonic() + READY_SECONDS
    while time.monotonic() < deadline:
        if server.process.poll() is not None:
            break
        with contextlib.suppress(OSError):
            if urllib.request.urlopen(server.base + "/status/", timeout=5).status == 200:
                return
        time.sleep(0.3)
    err = (data_dir / "serve.err").read_text(errors="replace")[-3000:]
    raise RuntimeError(f"linkhome serve did not come up:\n{err}")


def stop(process: subprocess.Popen) -> None:
    # serve stops gunicorn and the worker on SIGTERM; the group kill is for stragglers.
    if process.poll() is None:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGKILL)


def role(pid: int) -> str:
    """A process belongs to the nearest of its ancestors (itself included) that is gunicorn
    or the capture worker, so a browser the worker starts counts as the worker's."""
    while pid > 1:
        command = cmdline(pid)
        if "gunicorn" in command:
            return "web"
        if "linkhome.worker" in command:
            return "worker"
        pid = parent(pid)
    return "serve"


@contextlib.contextmanager
def sampling(server: Server) -> Iterator[PeakSampler]:
    combined = {"web+worker": ("web", "worker")}
    with PeakSampler(server.process.pid, role, combined) as sampler:
        yield sampler


def sign_in(base: str, username: str, password: str) -> dict[str, str]:
    """A real sign-in over HTTP: the session and CSRF cookies a browser would hold."""
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    opener.open(base + "/accounts/login/")  # sets the csrftoken cookie
    token = next(c.value for c in jar if c.name == "csrftoken")
    form = {"username": username, "password": password, "csrfmiddlewaretoken": token}
    request = urllib.request.Request(
        base + "/accounts/login/",
        data=urllib.parse.urlencode(form).encode(),
        headers={"Referer": base + "/accounts/login/"},
    )
    opener.open(request)
    cookies = {c.name: c.value for c in jar}
    if "sessionid" not in cookies:
        raise RuntimeError("sign-in failed: no session cookie")
    return cookies


def bench_endpoint(
    server: Server, endpoint: Endpoint, cookies: dict, args: argparse.Namespace
) -> dict:
    # Unmeasured: the first requests of each gunicorn worker import and compile templates.
    warmup = Load(10, args.warmup, label("warmup"))
    wrk(server.base, cookies, endpoint, warmup)
    drain(server.log, warmup.label)
    results = {}
    for clients in args.concurrency:
        load = Load(clients, args.duration, label(f"{endpoint.mode}-c{clients}"), args.think_ms)
        before, started = cpu_now(server), time.monotonic()
        measured = wrk(server.base, cookies, endpoint, load)
        server_ms = drain(server.log, load.label)
        cpu = cpu_used(before, cpu_now(server), time.monotonic() - started)
        results[str(clients)] = {**summarize(measured, server_ms), **cpu_figures(cpu, server_ms)}
    return results


def drain(log: Path, label: str) -> list[float]:
    """Waits until the run's last queued requests are answered; returns its server times."""
    deadline = time.monotonic() + DRAIN_LIMIT_SECONDS
    times = server_times(log, label)
    while time.monotonic() < deadline:
        time.sleep(QUIET_SECONDS)
        now = server_times(log, label)
        if len(now) == len(times):
            break
        times = now
    return times


def label(name: str) -> str:
    return f"{name}-{time.monotonic_ns()}"  # unique across runs and dataset sizes


def cpu_now(server: Server) -> dict[str, float]:
    """CPU seconds so far: the serve tree by role, wrk (waited-for children), this process
    (it serves the add site) and the whole machine."""
    found = cpu_by_role(server.process.pid, role)
    children, own = (resource.getrusage(who) for who in (resource.RUSAGE_CHILDREN, 0))
    found["wrk"] = children.ru_utime + children.ru_stime
    found["bench"] = own.ru_utime + own.ru_stime
    found["machine"] = machine_busy_seconds()
    return found


def cpu_used(before: dict, after: dict, wall: float) -> dict[str, float]:
    used = {name: after[name] - before.get(name, 0.0) for name in after}
    # Whatever else ran on the machine meanwhile (this machine is shared): a run with a
    # large share of it measured a busy machine, not LinkHome alone.
    ours = sum(value for name, value in used.items() if name != "machine")
    used["others_share"] = max(0.0, used["machine"] - ours) / (wall * (os.cpu_count() or 1))
    return used


def cpu_figures(cpu: dict[str, float], server_ms: list[float]) -> dict:
    figures = {
        "worker_cpu_s": round(cpu.get("worker", 0.0), 1),
        "others_cpu_share": round(cpu["others_share"], 2),
    }
    if server_ms:  # the web processes' CPU time per request they answered in the run
        figures["web_cpu_ms_per_request"] = round(cpu.get("web", 0.0) * 1000 / len(server_ms), 1)
    return figures


def wrk(base: str, cookies: dict, endpoint: Endpoint, load: Load) -> dict:
    cookie = "; ".join(f"{name}={value}" for name, value in cookies.items())
    command = [
        "wrk",
        f"-t{min(2, load.clients)}",  # wrk needs a connection per thread
        f"-c{load.clients}",
        f"-d{load.seconds}s",
        f"--timeout={WRK_TIMEOUT}",
        f"--script={BENCH / 'web.lua'}",
        base + "/",
        "--",
        endpoint.mode,
        cookie,
        cookies.get("csrftoken", ""),
        endpoint.target,
        load.label,
        str(load.think_ms),
    ]
    done = subprocess.run(command, capture_output=True, text=True, check=True)
    line = next((x for x in done.stdout.splitlines() if x.startswith("WRKJSON ")), None)
    if line is None:
        raise RuntimeError(f"wrk printed no summary:\n{done.stdout}\n{done.stderr}")
    return json.loads(line.removeprefix("WRKJSON "))


def server_times(log: Path, label: str) -> list[float]:
    """Milliseconds gunicorn spent on each request of the run `label` (logged so far)."""
    prefix = f"ACCESS {label} "
    lines = log.read_text(errors="replace").splitlines()
    return [int(x.split()[3]) / 1000 for x in lines if x.startswith(prefix)]


def summarize(measured: dict, server_ms: list[float]) -> dict:
    ms = lambda key: round(measured[key] / 1000, 1)  # noqa: E731
    errors = measured["bad"] + measured["socket_errors"] + measured["timeouts"]
    if not measured["requests"]:  # nothing answered within the run: no figure to trust
        errors += 1
    result = {
        "requests": measured["requests"],
        "requests_per_s": round(measured["requests"] / (measured["duration_us"] / 1e6), 1),
        "p50_ms": ms("p50_us"),
        "p95_ms": ms("p95_us"),
        "p99_ms": ms("p99_us"),
        "max_ms": ms("max_us"),
        "errors": errors,
        "server_requests": len(server_ms),  # more than "requests": some ended after the run
        **percentiles("server", server_ms),
    }
    if errors:
        keys = ("bad", "bad_status", "socket_errors", "timeouts")
        result["error_detail"] = {key: measured[key] for key in keys}
    return result


def percentiles(prefix: str, values: list[float]) -> dict:
    if len(values) < 2:
        return {}
    cuts = statistics.quantiles(values, n=100, method="inclusive")
    return {f"{prefix}_p50_ms": round(cuts[49], 1), f"{prefix}_p95_ms": round(cuts[94], 1)}


def added_statuses(data_dir: Path, seeded: int) -> dict:
    """What became of the snapshots the add runs queued (seeded ids come first)."""
    with contextlib.closing(sqlite3.connect(data_dir / "linkhome.sqlite3")) as db:
        rows = db.execute(
            "SELECT status, count(*) FROM capture_snapshot WHERE id > ? GROUP BY status",
            (seeded,),
        ).fetchall()
    return dict(rows)


def process_counts(sampler: PeakSampler, server: Server) -> dict:
    """How `linkhome serve` ran: read from the processes, not assumed from its source."""
    master = next((p for p in tree(server.process.pid) if role(p) == "web"), None)
    words = cmdline(master).split() if master else []
    threads = words[words.index("--threads") + 1] if "--threads" in words else "?"
    return {
        "gunicorn_workers": sampler.processes.get("web", 1) - 1,  # less the master
        "gunicorn_threads_per_worker": threads,
        "capture_workers": sampler.processes.get("worker", 0),
    }


def busy_runs(sizes: dict) -> list[str]:
    return [
        f"{size} {name} c={clients}: others used {run['others_cpu_share']:.0%} of the CPU"
        for size, result in sizes.items()
        for name, runs in result["endpoints"].items()
        for clients, run in runs.items()
        if run["others_cpu_share"] > BUSY_MACHINE_SHARE
    ]


def misses(sizes: dict) -> list[str]:
    found = []
    for size, result in sizes.items():
        for name, runs in result["endpoints"].items():
            for clients, run in runs.items():
                if run["errors"]:
                    found.append(f"{size} {name} c={clients}: {run['errors']} errors")
                if int(clients) == TARGET_CONCURRENCY and run["p95_ms"] > TARGET_P95_MS:
                    found.append(f"{size} {name} c={clients}: p95 {run['p95_ms']} ms")
        mib = result["rss_peak_mib"].get("web+worker", 0)
        if mib > TARGET_MIB:
            found.append(f"{size}: web+worker peak RSS {mib} MiB")
    return found


if __name__ == "__main__":
    main()
