"""Shared test cast and factories: owner, another user, anonymous; keyword defaults."""

import gzip
import os
from pathlib import Path

import pytest
from django.contrib.auth.models import AnonymousUser

from linkhome.accounts.services import create_user


def corpus_dir() -> Path:
    """../shared/corpus beside the repository, or LINKHOME_CORPUS_DIR."""
    env = os.environ.get("LINKHOME_CORPUS_DIR")
    return Path(env) if env else Path(__file__).resolve().parents[2] / "shared" / "corpus"


def corpus_bytes(relative: str) -> bytes:
    path = corpus_dir() / relative
    data = path.read_bytes()
    return gzip.decompress(data) if path.suffix == ".gz" else data


@pytest.fixture
def owner(db):  # noqa: ANN001, ANN201
    return create_user("owner", "owner-password")


@pytest.fixture
def other_user(db):  # noqa: ANN001, ANN201
    return create_user("other", "other-password")


@pytest.fixture
def anonymous() -> AnonymousUser:
    return AnonymousUser()
