"""A request id per web request, in every log line the request writes.

A proxy's `X-Request-ID` is kept when it looks like an id, so its logs and ours line up;
anything else (too long, odd characters that could forge log lines) is replaced by a new
one. The id lives in a context variable, so code far from the request logs it too.
"""

import logging
import re
import uuid
from contextvars import ContextVar

HEADER = "X-Request-ID"
_SANE = re.compile(r"[A-Za-z0-9._:-]{8,64}")
NO_REQUEST = "-"

current: ContextVar[str] = ContextVar("linkhome_request_id", default=NO_REQUEST)


def request_id_from(offered: str | None) -> str:
    """The offered id when it is sane, else a new random one."""
    if offered and _SANE.fullmatch(offered):
        return offered
    return uuid.uuid4().hex


class RequestIdFilter(logging.Filter):
    """Adds `request_id` to every record (`-` outside a request) for the log format."""

    def filter(self, record: logging.LogRecord) -> bool:
        if not hasattr(record, "request_id"):
            record.request_id = current.get()
        return True
