"""The pytest side of test support: the shared cast (owner, another user, anonymous) and
require_installed. The only module of linkhome.testing that imports pytest; tests/conftest.py
re-exports its fixtures."""

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.contrib.auth.models import AnonymousUser

from linkhome.accounts.services import create_user
from linkhome.testing.http import LocalHTTPServer


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
def http_server() -> Iterator[LocalHTTPServer]:
    """A real HTTP server on 127.0.0.1 (linkhome/testing/http.py), stopped after the test."""
    with LocalHTTPServer() as server:
        yield server


@pytest.fixture
def owner(db):  # noqa: ANN001, ANN201
    return create_user("owner", "owner-password")


@pytest.fixture
def other_user(db):  # noqa: ANN001, ANN201
    return create_user("other", "other-password")


@pytest.fixture
def anonymous() -> AnonymousUser:
    return AnonymousUser()
