from django.db import models


class HostPace(models.Model):
    """When the next page request to a host may start, for every worker on every machine.

    Moved forward by LINKHOME_HOST_DELAY at each request, and further when the host answers
    429 or 503 with Retry-After."""

    host = models.CharField(max_length=255, primary_key=True)
    next_at = models.DateTimeField()

    def __str__(self) -> str:
        return self.host


class HostSlot(models.Model):
    """One of the LINKHOME_HOST_REQUESTS requests a host may have in flight at once.

    Held by one capture while its page request runs; a holder that dies frees it when the
    lease expires (the longest a page request may take)."""

    host = models.CharField(max_length=255)
    slot = models.PositiveSmallIntegerField()
    holder = models.CharField(max_length=96, blank=True, default="")
    expires_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["host", "slot"], name="host_slot_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.host}#{self.slot}"
