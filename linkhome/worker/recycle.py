"""Give memory back: a worker whose captures grew it restarts itself between captures.

CPython and the C allocator rarely return freed memory to the system, so after one huge
page a worker would keep hundreds of MiB for good (as gunicorn's max-requests answers for
web workers). A capture that grew the worker by more than LINKHOME_WORKER_RECYCLE_MIB
makes it claim nothing new, let the captures in flight finish and replace itself with a
fresh copy (exec: same process id, so a supervisor, the parent-death signal and the
process group carry on). Ordinary captures grow a worker by a few MiB each, and its
first one by what it loads once (parsers, the word-cutting dictionary): WARM_UP_MIB more
is allowed for it.
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
WARM_UP_MIB = 128
WARM_UP_CAPTURES = 1

_stop: Callable[[], None] | None = None
_finished = 0
requested = threading.Event()


def rss_bytes() -> int:
    """Resident memory of this process now (Linux); 0 where /proc is missing."""
    try:
        with open("/proc/self/statm") as statm:
            return int(statm.read().split()[1]) * PAGE_SIZE
    except (OSError, ValueError, IndexError):
        return 0


def arm(stop: Callable[[], None]) -> None:
    """The worker is ready: remember how to stop taking work."""
    global _stop
    _stop = stop
    requested.clear()


def after_capture(before: int) -> None:
    """`before`: rss_bytes() when the capture started."""
    global _finished
    _finished += 1
    limit = settings.WORKER_RECYCLE_MIB
    if not limit or _stop is None or requested.is_set() or not before:
        return
    allowed = (limit + (WARM_UP_MIB if _finished <= WARM_UP_CAPTURES else 0)) * MIB
    grown = rss_bytes() - before
    if grown > allowed:
        log.info("worker grew by %d MiB; restarting it to give the memory back", grown // MIB)
        requested.set()
        _stop()


def restart(argv: list[str]) -> None:
    """Replace this process with a fresh worker (same arguments). Does not return."""
    sys.stdout.flush()
    sys.stderr.flush()
    os.execv(sys.executable, [sys.executable, "-m", "linkhome.worker", *argv])
