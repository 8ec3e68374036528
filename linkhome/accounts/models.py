import secrets

from django.conf import settings
from django.db import models


class Profile(models.Model):
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="profile"
    )
    nickname = models.CharField(max_length=40, unique=True)

    def __str__(self) -> str:
        return self.nickname


def new_token_key() -> str:
    return secrets.token_urlsafe(32)


class ApiToken(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens"
    )
    key = models.CharField(max_length=64, unique=True, default=new_token_key)
    name = models.CharField(max_length=100, default="default")
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"{self.user} · {self.name}"


class FeedAddress(models.Model):
    """The secret in the address of a person's private feed (their own links, private ones
    included). Not an API token: it reads that one feed and nothing else. Making a new one
    replaces the secret (the old address answers 404 at once); revoking deletes the row."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="feed_address"
    )
    # Set by accounts.services (no callable default: migrations stay free of live code).
    secret = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"{self.user} · feed"
