from django.db import models


class IndexState(models.Model):
    """Facts about the stored index; today one: the analysis it was built with
    (key "version"), so an upgrade that changes analysis can tell the index is stale."""

    key = models.CharField(max_length=40, primary_key=True)
    value = models.CharField(max_length=200)
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"{self.key}={self.value}"
