"""Politeness: at most LINKHOME_HOST_REQUESTS page requests at once to a host, and at least
LINKHOME_HOST_DELAY seconds between their starts, shared by every capture thread, worker
process and worker machine (the state is in the database they share).

Both are taken with conditional UPDATEs, so two workers never hold the same slot or start in
the same turn. A capture waits for its host's turn up to LINKHOME_HOST_MAX_WAIT; past that
(a busy host, or one that asked for a pause with Retry-After) `HostBusy` tells it how long to
stay away, and it goes back to the queue for then instead of holding a capture thread.
"""

import os
import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta
from urllib.parse import urlsplit

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from linkhome.hosts.models import HostPace, HostSlot

POLL_SECONDS = 0.1
# A slot's lease: the longest one page request may take, plus a margin. A holder that dies
# (kill -9) frees its slot when the lease runs out.
LEASE_MARGIN = 5.0


class HostBusy(Exception):
    """The host's turn is further away than a capture may wait."""

    def __init__(self, host: str, wait: float) -> None:
        super().__init__(f"{host} is busy for {wait:.0f} s")
        self.host = host
        self.wait = wait


def host_of(url: str) -> str:
    return (urlsplit(url).hostname or "").lower()[:255]


@contextmanager
def turn(url: str, max_wait: float | None = None) -> Iterator[None]:
    """Hold one of the host's request slots, started in the host's pace, for the block.
    Waits up to `max_wait` seconds (LINKHOME_HOST_MAX_WAIT when None) before HostBusy."""
    host = host_of(url)
    if not host:
        yield
        return
    wait = settings.HOST_MAX_WAIT if max_wait is None else max_wait
    slot = _take_slot(host, time.monotonic() + wait)
    try:
        _wait_for_pace(host, time.monotonic() + wait)
        yield
    finally:
        _free_slot(host, slot)


def pause(url: str, seconds: float) -> None:
    """The host asked us to stay away (Retry-After): no request to it before then."""
    host = host_of(url)
    if not host or seconds <= 0:
        return
    until = timezone.now() + timedelta(seconds=seconds)
    _ensure_pace(host)
    HostPace.objects.filter(host=host, next_at__lt=until).update(next_at=until)


def _holder() -> str:
    return f"{socket.gethostname()[:40]}:{os.getpid()}:{threading.get_ident()}"


def _take_slot(host: str, give_up_at: float) -> int:
    holder = _holder()
    while True:
        for slot in range(settings.HOST_REQUESTS):
            if _try_slot(host, slot, holder):
                return slot
        if time.monotonic() >= give_up_at:
            raise HostBusy(host, _slot_wait(host))
        time.sleep(POLL_SECONDS)


def _try_slot(host: str, slot: int, holder: str) -> bool:
    now = timezone.now()
    lease = now + timedelta(seconds=_lease_seconds())
    free = HostSlot.objects.filter(host=host, slot=slot, expires_at__lte=now)
    if free.update(holder=holder, expires_at=lease):
        return True
    try:
        with transaction.atomic():
            HostSlot.objects.create(host=host, slot=slot, holder=holder, expires_at=lease)
        return True
    except IntegrityError:
        return False  # the slot exists and is held


def _slot_wait(host: str) -> float:
    """Seconds until the first of the host's slots is free at the latest (its lease ends)."""
    held = HostSlot.objects.filter(host=host, slot__lt=settings.HOST_REQUESTS)
    soonest = held.order_by("expires_at").values_list("expires_at", flat=True).first()
    return max((soonest - timezone.now()).total_seconds(), 1.0) if soonest else 1.0


def _free_slot(host: str, slot: int) -> None:
    HostSlot.objects.filter(host=host, slot=slot, holder=_holder()).update(
        holder="", expires_at=timezone.now()
    )


def _lease_seconds() -> float:
    return settings.FETCH_DEADLINE + LEASE_MARGIN


def _wait_for_pace(host: str, give_up_at: float) -> None:
    _ensure_pace(host)
    while True:
        now = timezone.now()
        delay = timedelta(seconds=settings.HOST_DELAY)
        if HostPace.objects.filter(host=host, next_at__lte=now).update(next_at=now + delay):
            return
        next_at = HostPace.objects.filter(host=host).values_list("next_at", flat=True).first()
        wait = (next_at - now).total_seconds() if next_at else 0.0
        if time.monotonic() + wait > give_up_at:
            raise HostBusy(host, wait)
        time.sleep(min(max(wait, 0.0), POLL_SECONDS * 5))


def _ensure_pace(host: str) -> None:
    if HostPace.objects.filter(host=host).exists():
        return
    try:
        with transaction.atomic():
            HostPace.objects.create(host=host, next_at=timezone.now())
    except IntegrityError:
        pass  # another worker created it first
