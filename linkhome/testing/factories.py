"""Factories for tests: the one place that makes signed-in clients, kept links and
snapshots. No pytest; Django is imported only by the functions that need it."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from django.contrib.auth.models import AbstractBaseUser
    from django.test import Client


def client_for(user: AbstractBaseUser | None = None) -> Client:
    """A Django test client signed in as `user` (anonymous when None)."""
    from django.test import Client

    client = Client()
    if user is not None:
        client.force_login(user)
    return client
