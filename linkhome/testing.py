"""Shared test cast and factories: owner, another user, anonymous; keyword defaults."""

import os
from pathlib import Path

import pytest
from django.contrib.auth.models import AnonymousUser

from linkhome.accounts.services import create_user


def require_installed(path: Path, installer: str) -> None:
    """A tool `make test` installs (Chromium, pywb): missing under CI fails the test, so a
    broken install can never pass as skipped; missing on a laptop skips it."""
    if path.exists():
        return
    message = f"{path} is missing: run {installer} (make test does)"
    if os.environ.get("CI", "").lower() not in ("", "0", "false"):
        pytest.fail(f"CI: {message}", pytrace=False)
    pytest.skip(message)


@pytest.fixture
def owner(db):  # noqa: ANN001, ANN201
    return create_user("owner", "owner-password")


@pytest.fixture
def other_user(db):  # noqa: ANN001, ANN201
    return create_user("other", "other-password")


@pytest.fixture
def anonymous() -> AnonymousUser:
    return AnonymousUser()


def client_for(user=None):  # noqa: ANN001, ANN201
    """A Django test client signed in as `user` (anonymous when None)."""
    from django.test import Client

    client = Client()
    if user is not None:
        client.force_login(user)
    return client
