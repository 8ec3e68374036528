from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class ImportStatus(models.TextChoices):
    QUEUED = "queued", _("waiting for the worker")
    RUNNING = "running", _("importing")
    DONE = "done", _("done")
    FAILED = "failed", _("failed")


class ImportJob(models.Model):
    """One uploaded bookmark file and what became of its entries.

    `entries_read` counts the entries handled and committed, in file order: a job stopped
    by a killed worker starts again after them, so no entry is saved or counted twice."""

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="import_jobs"
    )
    file_name = models.CharField(max_length=255, blank=True, default="")
    stored_name = models.CharField(max_length=255)  # under settings.IMPORT_DIR
    size = models.BigIntegerField(default=0)
    format = models.CharField(max_length=32)
    tags = models.JSONField(default=list)  # given with the file, added to every link
    visibility = models.CharField(max_length=8, blank=True, default="")  # "": as the file says
    status = models.CharField(
        max_length=8, choices=ImportStatus.choices, default=ImportStatus.QUEUED
    )
    worker_id = models.CharField(max_length=64, blank=True, default="")
    error = models.TextField(blank=True, default="")
    progress = models.FloatField(default=0.0)  # share of the file read, 0 to 1
    entries_read = models.PositiveIntegerField(default=0)
    added = models.PositiveIntegerField(default=0)
    merged = models.PositiveIntegerField(default=0)  # kept already; new tags added
    unchanged = models.PositiveIntegerField(default=0)  # kept already, nothing new
    duplicates = models.PositiveIntegerField(default=0)  # the same address earlier in the file
    refused = models.PositiveIntegerField(default=0)
    captures_queued = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["owner", "-created_at"], name="import_owner_newest_idx")]

    def __str__(self) -> str:
        return f"import {self.pk} ({self.file_name})"

    @property
    def is_finished(self) -> bool:
        return self.status in (ImportStatus.DONE, ImportStatus.FAILED)


class ImportProblem(models.Model):
    """An entry of the file that did not become a link of its own: refused (with the reason)
    or a duplicate of an earlier entry."""

    REFUSED = "refused"
    DUPLICATE = "duplicate"

    job = models.ForeignKey(ImportJob, on_delete=models.CASCADE, related_name="problems")
    position = models.PositiveIntegerField()  # the entry's index in the file, from 0
    line = models.PositiveIntegerField(default=0)  # 0: the format has no lines to tell
    entry = models.TextField()  # the address (or what stood in its place), cut to 2,000
    kind = models.CharField(max_length=10)
    code = models.CharField(max_length=16, blank=True, default="")  # why, for a translation
    detail = models.TextField(blank=True, default="")  # why, in English

    class Meta:
        ordering = ["position"]
        indexes = [models.Index(fields=["job", "position"], name="import_problem_idx")]

    def __str__(self) -> str:
        return f"{self.kind} entry {self.position} of import {self.job_id}"


class ImportedLink(models.Model):
    """A link the import added or found already kept, with the capture it queued."""

    job = models.ForeignKey(ImportJob, on_delete=models.CASCADE, related_name="imported")
    link = models.ForeignKey("links.Link", on_delete=models.CASCADE, related_name="+")
    snapshot = models.ForeignKey(
        "capture.Snapshot", null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created = models.BooleanField(default=False)

    def __str__(self) -> str:
        return f"link {self.link_id} of import {self.job_id}"
