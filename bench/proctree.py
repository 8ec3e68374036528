"""Memory and CPU time of a process tree from /proc (Linux).

Without psutil (not a dependency): children come from /proc/PID/task/*/children, RSS from
/proc/PID/status, PSS from /proc/PID/smaps_rollup, CPU time from /proc/PID/stat. Forked
gunicorn workers share pages with their master, so a sum of RSS counts those pages more
than once; PSS splits each shared page between its sharers and sums to what the tree
really uses.
"""

import os
import subprocess
import threading
from collections.abc import Callable
from pathlib import Path

PROC = Path("/proc")
KIB_PER_MIB = 1024
TICKS = os.sysconf("SC_CLK_TCK")


def children(pid: int) -> list[int]:
    found = []
    for task in (PROC / str(pid) / "task").glob("*"):
        try:
            found += [int(child) for child in (task / "children").read_text().split()]
        except OSError:  # the task ended between glob and read
            continue
    return found


def tree(pid: int) -> list[int]:
    pids = [pid]
    for child in children(pid):
        pids += tree(child)
    return pids


def cmdline(pid: int) -> str:
    try:
        return (PROC / str(pid) / "cmdline").read_bytes().replace(b"\0", b" ").decode()
    except OSError:
        return ""


def _field_kib(path: Path, name: str) -> int:
    try:
        for line in path.read_text().splitlines():
            if line.startswith(name + ":"):
                return int(line.split()[1])
    except OSError:  # the process ended: it uses nothing
        pass
    return 0


def rss_kib(pid: int) -> int:
    return _field_kib(PROC / str(pid) / "status", "VmRSS")


def pss_kib(pid: int) -> int:
    return _field_kib(PROC / str(pid) / "smaps_rollup", "Pss")


def _stat_fields(pid: int) -> list[str]:
    """/proc/PID/stat from field 3 (state) on; [] once the process is gone."""
    try:
        stat = (PROC / str(pid) / "stat").read_text()
    except OSError:
        return []
    return stat.rsplit(")", 1)[1].split()  # the name in (…) may hold spaces


def parent(pid: int) -> int:
    fields = _stat_fields(pid)
    return int(fields[1]) if fields else 0


def cpu_seconds(pid: int) -> float:
    """User + system time of one process so far."""
    fields = _stat_fields(pid)
    return (int(fields[11]) + int(fields[12])) / TICKS if fields else 0.0  # utime, stime


def cpu_by_role(root: int, role: Callable[[int], str]) -> dict[str, float]:
    found: dict[str, float] = {}
    for pid in tree(root):
        name = role(pid)
        found[name] = found.get(name, 0.0) + cpu_seconds(pid)
    return found


def machine_busy_seconds() -> float:
    """CPU time all cores spent on anything but idle and I/O wait, since boot."""
    ticks = [int(x) for x in (PROC / "stat").read_text().split("\n", 1)[0].split()[1:]]
    user, nice, system, _idle, _iowait, irq, softirq, steal = ticks[:8]
    return (user + nice + system + irq + softirq + steal) / TICKS


class PeakSampler:
    """Samples a tree every `interval` seconds and keeps, per role, the peak of its sum.

    `role(pid)` names each process's group (e.g. "web", "worker"). Peaks of `combined`
    groups and of the total come from single samples: a sum of peaks reached at different
    times would overstate them."""

    def __init__(
        self,
        root: int,
        role: Callable[[int], str],
        combined: dict[str, tuple[str, ...]] | None = None,
        interval: float = 0.5,
    ) -> None:
        self.root, self.role, self.interval = root, role, interval
        self.combined = combined or {}  # e.g. {"web+worker": ("web", "worker")}
        self.peaks: dict[str, dict[str, int]] = {"rss": {}, "pss": {}}
        self.processes: dict[str, int] = {}
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def __enter__(self) -> "PeakSampler":
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()

    def _run(self) -> None:
        while not self._stop.wait(self.interval):
            self.sample()

    def sample(self) -> None:
        sums: dict[str, dict[str, int]] = {"rss": {}, "pss": {}}
        counts: dict[str, int] = {}
        for pid in tree(self.root):
            role = self.role(pid)
            counts[role] = counts.get(role, 0) + 1
            for kind, read in (("rss", rss_kib), ("pss", pss_kib)):
                sums[kind][role] = sums[kind].get(role, 0) + read(pid)
        for kind, by_role in sums.items():
            for name, roles in self.combined.items():
                by_role[name] = sum(by_role.get(r, 0) for r in roles)
            by_role["total"] = sum(by_role.get(r, 0) for r in counts)
            for role, kib in by_role.items():
                self.peaks[kind][role] = max(self.peaks[kind].get(role, 0), kib)
        self.processes = {r: max(n, self.processes.get(r, 0)) for r, n in counts.items()}

    def peaks_mib(self, kind: str) -> dict[str, float]:
        return {role: round(kib / KIB_PER_MIB, 1) for role, kib in self.peaks[kind].items()}


def stop(process: subprocess.Popen, timeout: float) -> None:
    """SIGTERM, then SIGKILL if it has not ended within `timeout` seconds."""
    process.terminate()
    try:
        process.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        process.kill()
