"""What a person asked to be told about, how, and what they were told.

- `LinkNotify`: a link's own choice (notify or not); no row: the link follows its tags.
- `TagNotify`: a row says the owner's links with this tag notify (unless a link says no).
- `Channels`: a person's feed key (the secret in their feed's address), webhook, email and
  the language their messages are written in.
- `Notification`: one event, written once per check that found the page changed, gone or
  moved (notify.events, the one writer); never for a first capture or an unchanged page.
- `Delivery`: one event to one channel (webhook or email): claimed by the worker's
  `notify-deliveries` job with one conditional UPDATE, retried with exponential backoff.
"""

import secrets

from django.conf import settings
from django.db import models
from django.utils import timezone


def new_feed_key() -> str:
    return secrets.token_urlsafe(24)


class LinkNotify(models.Model):
    link = models.OneToOneField(
        "links.Link", on_delete=models.CASCADE, primary_key=True, related_name="notify_choice"
    )
    notify = models.BooleanField()

    def __str__(self) -> str:
        return f"link {self.link_id}: {self.notify}"


class TagNotify(models.Model):
    tag = models.OneToOneField(
        "links.Tag", on_delete=models.CASCADE, primary_key=True, related_name="notify_choice"
    )

    def __str__(self) -> str:
        return f"tag {self.tag_id}"


class Channels(models.Model):
    owner = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notify_channels"
    )
    # The secret part of the person's feed address; a new one revokes the old address.
    # Made by notify.preferences.channels_of (no model default: migrations stay frozen).
    feed_key = models.CharField(max_length=64, unique=True)
    email_on = models.BooleanField(default=False)
    email = models.EmailField(blank=True, default="")
    webhook_url = models.TextField(blank=True, default="")
    webhook_secret = models.CharField(max_length=128, blank=True, default="")
    # Emails are written in this language (the one the page was in when they were set).
    language = models.CharField(max_length=10, default="zh-hans")

    def __str__(self) -> str:
        return f"channels of {self.owner_id}"


class Kind(models.TextChoices):
    CHANGED = "changed", "changed"
    GONE = "gone", "gone"
    MOVED = "moved", "moved"


class Notification(models.Model):
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    link = models.ForeignKey("links.Link", on_delete=models.CASCADE, related_name="+")
    # The check that found it: one event per check, whatever the number of workers.
    snapshot = models.OneToOneField(
        "capture.Snapshot", on_delete=models.CASCADE, related_name="notification"
    )
    compared_with = models.ForeignKey(
        "capture.Snapshot", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    kind = models.CharField(max_length=8, choices=Kind.choices)
    title = models.CharField(max_length=500, blank=True, default="")
    url = models.TextField()
    change_ratio = models.FloatField(null=True, blank=True)
    change_added = models.PositiveIntegerField(null=True, blank=True)
    change_removed = models.PositiveIntegerField(null=True, blank=True)
    http_status = models.PositiveSmallIntegerField(null=True, blank=True)
    detail = models.CharField(max_length=300, blank=True, default="")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        indexes = [
            models.Index(fields=["owner", "-created_at", "-id"], name="notification_owner_idx")
        ]
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.kind}: {self.url}"


class Channel(models.TextChoices):
    WEBHOOK = "webhook", "webhook"
    EMAIL = "email", "email"


class DeliveryStatus(models.TextChoices):
    PENDING = "pending", "pending"
    DELIVERED = "delivered", "delivered"
    FAILED = "failed", "failed"  # every attempt failed, or the channel was removed


class Delivery(models.Model):
    notification = models.ForeignKey(
        Notification, on_delete=models.CASCADE, related_name="deliveries"
    )
    channel = models.CharField(max_length=8, choices=Channel.choices)
    status = models.CharField(
        max_length=10, choices=DeliveryStatus.choices, default=DeliveryStatus.PENDING
    )
    attempts = models.PositiveSmallIntegerField(default=0)
    # When it is next due; a claim moves it forward by the backoff in one conditional UPDATE.
    next_at = models.DateTimeField(default=timezone.now)
    claimed_by = models.CharField(max_length=64, blank=True, default="")
    target = models.TextField(blank=True, default="")  # where the last attempt went
    last_status = models.PositiveSmallIntegerField(null=True, blank=True)
    last_error = models.TextField(blank=True, default="")
    delivered_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        indexes = [models.Index(fields=["status", "next_at"], name="delivery_due_idx")]
        constraints = [
            models.UniqueConstraint(
                fields=["notification", "channel"], name="delivery_once_per_channel"
            )
        ]

    def __str__(self) -> str:
        return f"{self.channel} {self.status} ({self.attempts})"
