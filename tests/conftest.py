"""Shared pytest fixtures: they live in linkhome/testing/fixtures.py (the one module of
linkhome.testing that imports pytest); importing them here makes them every test's."""

import os

import pytest

# A real HTTP server and a real S3 server on 127.0.0.1, and the shared cast (owner, another user, anonymous).
from linkhome.testing.fixtures import (  # noqa: F401
    anonymous,
    blob_store,
    http_server,
    other_user,
    owner,
    s3_blobs,
    s3_server,
)

# Browser mode on (Chromium required in CI), for the tests about it.
from tests.browser_support import browser_mode  # noqa: E402, F401


def pytest_sessionstart(session: pytest.Session) -> None:
    # Locally a missing corpus skips its tests; in CI it must be there, so say so loudly.
    from linkhome.testing.corpus import corpus_dir

    if os.environ.get("CI") and not corpus_dir().is_dir():
        pytest.exit(f"CI: the shared corpus is missing at {corpus_dir()}", returncode=1)
