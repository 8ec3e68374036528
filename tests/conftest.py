"""Shared pytest fixtures."""

import os
from collections.abc import Iterator

import pytest

from linkhome.testing_http import LocalHTTPServer


@pytest.fixture
def http_server() -> Iterator[LocalHTTPServer]:
    """A real HTTP server on 127.0.0.1 (linkhome/testing_http.py), stopped after the test."""
    with LocalHTTPServer() as server:
        yield server


# The shared cast of users (owner, another user, anonymous) for database tests.
from linkhome.testing import anonymous, other_user, owner  # noqa: E402, F401

# Browser mode on (Chromium required in CI), for the tests about it.
from tests.browser_support import browser_mode  # noqa: E402, F401


def pytest_sessionstart(session: pytest.Session) -> None:
    # Locally a missing corpus skips its tests; in CI it must be there, so say so loudly.
    from linkhome.testing_corpus import corpus_dir

    if os.environ.get("CI") and not corpus_dir().is_dir():
        pytest.exit(f"CI: the shared corpus is missing at {corpus_dir()}", returncode=1)
