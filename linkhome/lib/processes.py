"""Child processes that cannot outlive the process that started them (Linux).

A supervisor killed with SIGKILL runs no cleanup code: its children would keep running,
holding the web port ("Connection in use" on the next start) and working the queue. The
kernel's parent-death signal (prctl PR_SET_PDEATHSIG) delivers a signal to the child the
moment its parent dies, whatever killed the parent.
"""

import ctypes
import ctypes.util
import os
import signal
import sys
from collections.abc import Callable

PR_SET_PDEATHSIG = 1  # kept across exec, so a worker that recycles itself keeps it too


def die_with_parent(signum: int = signal.SIGTERM) -> Callable[[], None]:
    """A `preexec_fn` for subprocess.Popen: the child gets `signum` when its parent dies.

    The parent may die between fork and prctl; then the child's parent is already
    someone else and the signal would never come, so the child sends it to itself."""
    parent = os.getpid()
    prctl = _prctl()  # looked up here: find_library may run programs, unsafe after fork

    def preexec() -> None:
        if prctl is not None:
            prctl(PR_SET_PDEATHSIG, signum, 0, 0, 0)
        if os.getppid() != parent:
            os.kill(os.getpid(), signum)

    return preexec


def _prctl() -> Callable[..., int] | None:
    if not sys.platform.startswith("linux"):
        return None
    return ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6", use_errno=True).prctl
