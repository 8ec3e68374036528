from django.conf import settings
from django.db import models
from django.utils import timezone


class Visibility(models.TextChoices):
    PUBLIC = "public", "public"
    PRIVATE = "private", "private"


class Tag(models.Model):
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="tags"
    )
    name = models.CharField(max_length=64)
    created_at = models.DateTimeField(auto_now_add=True)

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
        ]
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.title or self.url

    @property
    def is_private(self) -> bool:
        return self.visibility == Visibility.PRIVATE
