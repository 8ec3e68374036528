"""Template context every page gets."""

from django.http import HttpRequest

from linkhome.archive.health import health


def worker_health(request: HttpRequest) -> dict:
    """Signed-in people see the worker's heartbeat and the queue in the footer, so a stopped
    worker is never invisible; anonymous readers do not need it (and it costs queries)."""
    if not request.user.is_authenticated:
        return {}
    return {"worker_health": health()}
