from django.db import models


class SnapshotStatus(models.TextChoices):
    QUEUED = "queued", "queued"
    RUNNING = "running", "running"
    SUCCEEDED = "succeeded", "succeeded"
    PARTIAL = "partial", "partial"
    FAILED = "failed", "failed"


FINISHED = (SnapshotStatus.SUCCEEDED, SnapshotStatus.PARTIAL, SnapshotStatus.FAILED)


class Snapshot(models.Model):
    # A string reference keeps capture free of imports from links (arrows point down).
    link = models.ForeignKey("links.Link", on_delete=models.CASCADE, related_name="snapshots")
    url = models.TextField()
    status = models.CharField(
        max_length=10, choices=SnapshotStatus.choices, default=SnapshotStatus.QUEUED
    )
    error = models.TextField(blank=True, default="")
    attempts = models.PositiveSmallIntegerField(default=0)
    worker_id = models.CharField(max_length=64, blank=True, default="")
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    retry_after = models.DateTimeField(null=True, blank=True)

    http_status = models.PositiveSmallIntegerField(null=True, blank=True)
    final_url = models.TextField(blank=True, default="")
    content_type = models.CharField(max_length=200, blank=True, default="")
    charset = models.CharField(max_length=40, blank=True, default="")
    charset_source = models.CharField(max_length=20, blank=True, default="")
    title = models.CharField(max_length=500, blank=True, default="")
    # The page's title before a site-name part was cut from it (the same as title when
    # nothing was; "" for captures made before it was kept).
    full_title = models.CharField(max_length=500, blank=True, default="")
    author = models.CharField(max_length=300, blank=True, default="")
    published = models.DateField(null=True, blank=True)
    site_name = models.CharField(max_length=200, blank=True, default="")
    language = models.CharField(max_length=20, blank=True, default="")
    description = models.TextField(blank=True, default="")
    text = models.TextField(blank=True, default="")
    extractor = models.CharField(max_length=20, blank=True, default="")
    # The text was read from pictures by OCR (an image, or a scanned PDF's pages), so it may
    # hold misread characters: the snapshot page and `linkhome show --json` say so.
    ocr = models.BooleanField(default=False)
    content_hash = models.CharField(max_length=64, blank=True, default="")
    # Compared with the link's previous kept capture by the worker's sequence
    # (history.changes): "" not compared (first capture, or not yet), unchanged, changed, gone.
    change = models.CharField(max_length=10, blank=True, default="")
    change_ratio = models.FloatField(null=True, blank=True)
    change_added = models.PositiveIntegerField(null=True, blank=True)
    change_removed = models.PositiveIntegerField(null=True, blank=True)
    compared_with = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # Browser-mode captures whose capture before had a screenshot too: whether the two
    # screenshots differ visibly (lib.screenshot_diff) and the share of the page that does;
    # NULL when one of them has none.
    screenshot_changed = models.BooleanField(null=True, blank=True)
    screenshot_ratio = models.FloatField(null=True, blank=True)
    # What this check found at the address (links.models.Health values) and why.
    health = models.CharField(max_length=12, blank=True, default="")
    health_detail = models.CharField(max_length=300, blank=True, default="")

    class Meta:
        ordering = ["-created_at"]
        indexes = [
            models.Index(fields=["status", "created_at"], name="snapshot_status_idx"),
            # Feeds walk snapshots newest first and stop after a page (see links.queries).
            models.Index(fields=["created_at", "id"], name="snapshot_newest_idx"),
            # "The newest snapshot of this link", asked for every row of a list of links.
            models.Index(fields=["link", "created_at", "id"], name="snapshot_link_newest_idx"),
            # The worker's catch-up jobs look at the captures finished since their last turn.
            models.Index(fields=["finished_at"], name="snapshot_finished_idx"),
        ]

    def __str__(self) -> str:
        return f"snapshot {self.pk} of {self.url}"

    @property
    def is_finished(self) -> bool:
        return self.status in FINISHED


class ArtifactKind(models.TextChoices):
    WARC = "warc", "WARC"
    RAW_HTML = "raw_html", "original bytes"
    HTML = "html", "decoded HTML (UTF-8)"
    SINGLE_FILE = "single_file", "single-file HTML"
    READABLE = "readable", "readable HTML"
    HEADERS = "headers", "response headers"
    FAVICON = "favicon", "favicon"
    DOCUMENT = "document", "non-HTML document"
    TEXT = "text", "extracted text"
    # Browser mode (capture/browser): what Chromium showed, after scripts ran.
    SCREENSHOT = "screenshot", "full-page screenshot (PNG)"
    THUMBNAIL = "thumbnail", "thumbnail"
    PDF = "pdf", "PDF"
    DOM = "dom", "rendered DOM (UTF-8)"
    # A PDF's first pages drawn by PDFium (capture/steps/document.py): its preview.
    PAGES = "pages", "first pages of a PDF (PNG)"
    # What lists show (capture.steps.preview): the page's og:image or first large picture,
    # an image snapshot or a PDF's first page, scaled down to a small WebP.
    PREVIEW = "preview", "preview picture (WebP)"


class ArtifactStatus(models.TextChoices):
    OK = "ok", "ok"
    FAILED = "failed", "failed"
    SKIPPED = "skipped", "skipped"


class Artifact(models.Model):
    snapshot = models.ForeignKey(Snapshot, on_delete=models.CASCADE, related_name="artifacts")
    kind = models.CharField(max_length=16, choices=ArtifactKind.choices)
    status = models.CharField(
        max_length=8, choices=ArtifactStatus.choices, default=ArtifactStatus.OK
    )
    # Indexed: deleting a snapshot asks which of its blobs other artifacts still use.
    sha256 = models.CharField(max_length=64, blank=True, default="", db_index=True)
    size = models.BigIntegerField(default=0)
    mime = models.CharField(max_length=200, blank=True, default="")
    error = models.TextField(blank=True, default="")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["snapshot", "kind"], name="artifact_unique_kind")
        ]
        ordering = ["id"]

    def __str__(self) -> str:
        return f"{self.kind} of snapshot {self.snapshot_id}"


class Heartbeat(models.Model):
    """One row per capture worker process, touched every few seconds while it lives."""

    worker_id = models.CharField(max_length=64, primary_key=True)
    hostname = models.CharField(max_length=200, blank=True, default="")
    pid = models.PositiveIntegerField(default=0)
    started_at = models.DateTimeField(auto_now_add=True)
    last_seen = models.DateTimeField()

    def __str__(self) -> str:
        return f"{self.worker_id} @ {self.hostname}:{self.pid}"


class ArchivedPayload(models.Model):
    """The first WARC response record of each large asset payload, for revisit records.

    A site's shared stylesheet or font is recorded in full once per owner (and visibility);
    later snapshots write a WARC revisit record (identical-payload-digest) that points at
    this first capture. See capture.payloads for who may point where."""

    sha256 = models.CharField(max_length=64, db_index=True)
    url = models.TextField()
    warc_date = models.CharField(max_length=32)
    payload_digest = models.CharField(max_length=64)
    snapshot = models.ForeignKey(Snapshot, on_delete=models.CASCADE, related_name="+")

    def __str__(self) -> str:
        return f"{self.sha256[:12]} first seen at {self.url}"
