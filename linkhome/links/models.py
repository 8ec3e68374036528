from django.conf import settings
from django.db import models
from django.utils import timezone


class Visibility(models.TextChoices):
    PUBLIC = "public", "public"
    PRIVATE = "private", "private"


class Every(models.TextChoices):
    """How often a kept page is captured again to see whether it changed or died."""

    NEVER = "never", "never"
    DAILY = "daily", "daily"
    WEEKLY = "weekly", "weekly"
    MONTHLY = "monthly", "monthly"


class Health(models.TextChoices):
    """What the newest check of a link's original address found (links.watching)."""

    UNKNOWN = "unknown", "unknown"  # never checked, or the check said nothing either way
    OK = "ok", "ok"
    CHANGED = "changed", "changed"
    GONE = "gone", "gone"  # 404/410, or a 200 page that says the content is gone
    MOVED = "moved", "moved"  # redirected to another site or to the site's home page
    UNREACHABLE = "unreachable", "unreachable"  # DNS, TLS, connection, 5xx


class Tag(models.Model):
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="tags"
    )
    name = models.CharField(max_length=64)
    created_at = models.DateTimeField(auto_now_add=True)
    # How often links with this tag are checked; "" leaves it to the link or the person.
    watch_every = models.CharField(max_length=8, choices=Every.choices, blank=True, default="")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["owner", "name"], name="tag_unique_per_owner")
        ]
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Link(models.Model):
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="links"
    )
    url = models.TextField()
    normalized_url = models.TextField()
    # The host without "www.", kept on the row so "same site" lists are one indexed query.
    host = models.CharField(max_length=255, blank=True, default="", db_index=True)
    title = models.CharField(max_length=500, blank=True, default="")
    note = models.TextField(blank=True, default="")
    visibility = models.CharField(
        max_length=8, choices=Visibility.choices, default=Visibility.PUBLIC
    )
    tags = models.ManyToManyField(Tag, related_name="links", blank=True)
    # Capture in a browser (screenshot, PDF, rendered DOM) even when LINKHOME_BROWSER=auto
    # would not: for pages the owner knows are built by scripts.
    browser = models.BooleanField(default=False)
    # Scheduled re-captures (links.watching): the link's own choice ("" follows its tags,
    # then the owner's default, then LINKHOME_WATCH_DEFAULT), and when it is next due (None:
    # not watched). Claimed by moving next_check_at forward in one conditional UPDATE.
    watch_every = models.CharField(max_length=8, choices=Every.choices, blank=True, default="")
    next_check_at = models.DateTimeField(null=True, blank=True, db_index=True)
    # What the newest finished capture found at the original address.
    health = models.CharField(max_length=12, choices=Health.choices, default=Health.UNKNOWN)
    health_checked_at = models.DateTimeField(null=True, blank=True)
    health_status = models.PositiveSmallIntegerField(null=True, blank=True)
    health_detail = models.CharField(max_length=300, blank=True, default="")
    # The owner's own marks (links.states): read or not, a favourite (星标), put away (归档:
    # out of the default list). Set through links.states and links.bulk only.
    read = models.BooleanField(default=False)
    starred = models.BooleanField(default=False)
    archived = models.BooleanField(default=False)
    # When the link was saved: now for a link added here, the original date for one imported
    # from a bookmark file (so lists sort and say "3 年前" by it). Its snapshots have their own.
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["owner", "normalized_url"], name="link_unique_per_owner"
            )
        ]
        indexes = [
            models.Index(fields=["visibility", "-created_at"], name="link_feed_idx"),
            # A person's list walks their links newest first and stops after a page.
            models.Index(fields=["owner", "created_at", "id"], name="link_owner_newest_idx"),
            models.Index(fields=["owner", "health"], name="link_owner_health_idx"),
            # The default list leaves archived links out and walks the rest newest first.
            models.Index(
                fields=["owner", "archived", "created_at", "id"], name="link_owner_shelf_idx"
            ),
        ]
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.title or self.url

    @property
    def is_private(self) -> bool:
        return self.visibility == Visibility.PRIVATE


class WatchDefault(models.Model):
    """A person's own default schedule for links that (and whose tags) name none."""

    owner = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="watch_default"
    )
    every = models.CharField(max_length=8, choices=Every.choices)

    def __str__(self) -> str:
        return f"{self.owner} · {self.every}"
