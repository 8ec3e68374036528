from django.db import models


class PeriodicJob(models.Model):
    """One row per job in worker/schedule.py's table: when it is next due and who ran it.

    A worker runs a job only after moving `due_at` forward in one conditional UPDATE
    (schedule.claim), so among any number of workers on any number of machines exactly one
    runs each due turn."""

    name = models.CharField(max_length=64, primary_key=True)
    due_at = models.DateTimeField()
    claimed_by = models.CharField(max_length=64, blank=True, default="")
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    handled = models.IntegerField(default=0)  # what the last turn did: items requeued, indexed...
    error = models.TextField(blank=True, default="")

    def __str__(self) -> str:
        return self.name
