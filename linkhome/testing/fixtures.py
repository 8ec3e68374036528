"""The pytest side of test support: the shared cast (owner, another user, anonymous) and
require_installed, and S3 servers and buckets. The only module of linkhome.testing that imports pytest; tests/conftest.py
re-exports its fixtures."""

import os
import secrets
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.contrib.auth.models import AnonymousUser

from linkhome.accounts.services import create_user
from linkhome.testing.http import LocalHTTPServer
from linkhome.testing.s3 import ACCESS_KEY, SECRET_KEY, S3Server


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


@pytest.fixture(scope="session")
def s3_server() -> Iterator[S3Server]:
    """A real S3 API server (moto in server mode) on 127.0.0.1, one for the test session."""
    with S3Server() as server:
        yield server


@pytest.fixture
def s3_blobs(s3_server: S3Server, settings) -> str:  # noqa: ANN001 - pytest-django's
    """Blobs go to a fresh bucket on the S3 server for this test; returns the bucket's name."""
    from linkhome.settings import s3_blob_store

    bucket = f"blobs-{secrets.token_hex(6)}"
    s3_server.create_bucket(bucket)
    config = s3_blob_store(bucket, s3_server.endpoint)
    config["OPTIONS"] |= {"access_key": ACCESS_KEY, "secret_key": SECRET_KEY}
    settings.STORAGES = {**settings.STORAGES, "blobs": config}  # resets Django's storages
    return bucket


@pytest.fixture(params=["file", "s3"])
def blob_store(request: pytest.FixtureRequest) -> str:
    """Runs a test once with blobs in a folder and once in an S3 bucket; the kind in use."""
    if request.param == "s3":
        request.getfixturevalue("s3_blobs")
    return request.param
