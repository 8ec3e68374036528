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


class FeedResult(models.TextChoices):
    NEVER = "", _("not checked yet")
    OK = "ok", _("ok")
    NOT_MODIFIED = "not_modified", _("not modified")
    ERROR = "error", _("error")


class Subscription(models.Model):
    """An RSS or Atom feed a person follows: its new entries become their links.

    The worker's `poll-feeds` job claims a due subscription by moving `next_check_at`
    forward in one conditional UPDATE (imports.polling.claim_due), so each check is made once
    among all workers. `failures` counts the errors in a row; the wait after one doubles
    with each (capped), and an ok or not-modified answer sets it back to 0."""

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="subscriptions"
    )
    url = models.TextField()  # as cleaned at the door (up to lib.urls.MAX_URL_LENGTH)
    title = models.CharField(max_length=500, blank=True, default="")
    tags = models.JSONField(default=list)  # given to every link it adds
    visibility = models.CharField(max_length=8)  # of the links it adds
    created_at = models.DateTimeField(auto_now_add=True)
    next_check_at = models.DateTimeField(db_index=True)
    checked_at = models.DateTimeField(null=True, blank=True)
    result = models.CharField(
        max_length=12, choices=FeedResult.choices, blank=True, default=FeedResult.NEVER
    )
    error_code = models.CharField(max_length=16, blank=True, default="")  # for a translation
    error = models.TextField(blank=True, default="")  # the reason, in English
    http_status = models.PositiveSmallIntegerField(null=True, blank=True)
    failures = models.PositiveIntegerField(default=0)
    etag = models.CharField(max_length=500, blank=True, default="")
    last_modified = models.CharField(max_length=100, blank=True, default="")
    claimed_by = models.CharField(max_length=64, blank=True, default="")
    added = models.PositiveIntegerField(default=0)  # entries that became new links
    merged = models.PositiveIntegerField(default=0)  # entries whose address was kept already
    refused = models.PositiveIntegerField(default=0)  # entries whose address was refused

    class Meta:
        ordering = ["title", "url"]
        constraints = [
            models.UniqueConstraint(fields=["owner", "url"], name="subscription_once_per_owner")
        ]

    def __str__(self) -> str:
        return f"subscription {self.pk} ({self.url})"


class FeedEntry(models.Model):
    """An entry a subscription has taken, once: the link it became (or found), or why not."""

    ADDED = "added"
    MERGED = "merged"
    REFUSED = "refused"

    subscription = models.ForeignKey(Subscription, on_delete=models.CASCADE, related_name="entries")
    key = models.CharField(max_length=64)  # sha256 of the entry's id (or address)
    normalized = models.TextField(blank=True, default="")  # its address, normalized
    url = models.TextField()  # as the feed gave it, cut to 2,000 characters
    title = models.CharField(max_length=500, blank=True, default="")
    link = models.ForeignKey("links.Link", null=True, on_delete=models.SET_NULL, related_name="+")
    outcome = models.CharField(max_length=8)
    code = models.CharField(max_length=16, blank=True, default="")  # why refused
    detail = models.TextField(blank=True, default="")  # why refused, in English
    seen_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-seen_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["subscription", "key"], name="feed_entry_once")
        ]
        indexes = [models.Index(fields=["subscription", "-seen_at"], name="feed_entry_newest_idx")]

    def __str__(self) -> str:
        return f"entry {self.key[:8]} of subscription {self.subscription_id}"
