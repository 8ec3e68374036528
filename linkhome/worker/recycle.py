"""Give memory back: a worker whose captures grew it restarts itself between captures.

CPython and the C allocator rarely return freed memory to the system, so after one huge
page a worker would keep hundreds of MiB for good (as gunicorn's max-requests answers for
web workers). After each capture the worker compares its resident memory with what it
used when it became ready; past LINKHOME_WORKER_RECYCLE_MIB more, it claims nothing new,
lets the captures in flight finish and replaces itself with a fresh copy (exec: same
process id, so a supervisor, the parent-death signal and the process group carry on).
"""

import logging
import os
import sys
import threading
from collections.abc import Callable

from django.conf import settings

log = logging.getLogger("linkhome.worker")
PAGE_SIZE = os.sysconf("SC_PAGE_SIZE") if hasattr(os, "sysconf") else 4096
MIB = 1024 * 1024

_baseline: int = 0
_stop: Callable[[], None] | None = None
requested = threading.Event()


def rss_bytes() -> int:
    """Resident memory of this process now (Linux); 0 where /proc is missing."""
    try:
        with open("/proc/self/statm") as statm:
            return int(statm.read().split()[1]) * PAGE_SIZE
    except (OSError, ValueError, IndexError):
        return 0


def arm(stop: Callable[[], None]) -> None:
    """The worker is ready: remember its memory and how to stop taking work."""
    global _baseline, _stop
    _baseline, _stop = rss_bytes(), stop
    requested.clear()


def after_capture() -> None:
    limit = settings.WORKER_RECYCLE_MIB
    if not limit or _stop is None or requested.is_set():
        return
    grown = rss_bytes() - _baseline
    if grown > limit * MIB:
        log.info("worker grew by %d MiB; restarting it to give the memory back", grown // MIB)
        requested.set()
        _stop()


def restart(argv: list[str]) -> None:
    """Replace this process with a fresh worker (same arguments). Does not return."""
    sys.stdout.flush()
    sys.stderr.flush()
    os.execv(sys.executable, [sys.executable, "-m", "linkhome.worker", *argv])
