"""Which capture runs first: one lane per CaptureReason, highest priority first.

Both queues honour the lanes. The database queue orders ready tasks by priority (then by
run_after; a task without a delay sorts last within its priority, which is why, before
lanes, every due retry ran before any fresh link). RQ has no priorities, so each lane is a
queue of its own and a worker listens to them in this order. One capture thread of each
worker serves only the first lane, so a link a person just added never waits for a slot
that a slow import or retry holds.

No Django here. settings.TASK_QUEUES lists the same queue names (it may not import this).
"""

from dataclasses import dataclass


@dataclass(frozen=True)
class Lane:
    queue_name: str
    priority: int  # django-tasks: -100 (last) to 100 (first)


ADDED = Lane("capture-now", 50)
RETRY = Lane("capture", 0)
BULK = Lane("capture-later", -50)
SCHEDULED = BULK  # watch-recaptures (worker/schedule.py): nobody is waiting for it either
# Reading an uploaded bookmark file and saving its links: someone watches its progress, and
# it must not wait behind the bulk captures of an earlier import. Not a capture lane.
IMPORT = Lane("capture", 10)

LANES: dict[str, Lane] = {"added": ADDED, "retry": RETRY, "bulk": BULK, "scheduled": SCHEDULED}
# Highest first: the order an RQ worker listens in.
CAPTURE_QUEUES: list[str] = [ADDED.queue_name, RETRY.queue_name, BULK.queue_name]
EXPRESS_QUEUES: list[str] = [ADDED.queue_name]  # what the reserved thread serves


def lane_for(reason: str) -> Lane:
    """An unknown reason (a new caller this module has not heard of) waits like a retry."""
    return LANES.get(reason, RETRY)
