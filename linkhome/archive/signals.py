from enum import StrEnum

from django.dispatch import Signal


class CaptureReason(StrEnum):
    """Why a capture is asked for; the worker turns it into a queue priority, so a link a
    person just added never waits behind retries, imports or scheduled work."""

    ADDED = "added"  # a person added or recaptured one link, and is waiting for it
    RETRY = "retry"  # an attempt failed for a passing reason, or its worker died
    BULK = "bulk"  # an import of many links at once
    SCHEDULED = "scheduled"  # work nobody is waiting for at this moment


# Sent (after commit) when a snapshot needs capturing; kwargs: snapshot_id, delay (seconds),
# reason (a CaptureReason). The worker app listens and puts it on the queue, so the domain
# never imports the queue. This is the one signal of the capture flow: what follows a
# capture (index, related lists) is the worker's explicit sequence (worker/sequence.py).
capture_requested = Signal()

# Sent (after commit) when many snapshots need capturing at once (an import); kwargs:
# snapshot_ids (a list), reason. The worker app puts them on the queue in one write.
captures_requested = Signal()

# Sent (after commit) when a finished capture was given to another link as its own snapshot
# (archive.sharing: 保存到我的链接); kwargs: snapshot_id. Nothing is captured: the worker app
# queues what follows a capture (what changed, schedule, index, related lists) for it.
capture_copied = Signal()
