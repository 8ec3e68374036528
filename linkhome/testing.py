"""Shared test cast and factories: owner, another user, anonymous; keyword defaults."""

import pytest
from django.contrib.auth.models import AnonymousUser

from linkhome.accounts.services import create_user


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
