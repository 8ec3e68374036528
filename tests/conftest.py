"""Shared pytest fixtures."""

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
