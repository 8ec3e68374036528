"""Helpers for the search tests: kept pages without a network, and result lists."""

from datetime import datetime

import pytest

from linkhome.capture.models import Snapshot
from linkhome.capture.services import finish
from linkhome.links.services import add_link
from linkhome.search import api


@pytest.fixture(autouse=True)
def fast_passwords(settings):
    """The cast's accounts hashed with PBKDF2 cost 1.6 s each on a small machine; nothing
    here logs in with a password. Import this fixture into a test module to use it."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def kept(
    user,
    url: str,
    *,
    title: str = "",
    text: str = "",
    tags=(),
    visibility: str = "public",
    captured: datetime | None = None,
) -> Snapshot:
    """A link whose capture finished with this title and text (the real finish(), so the
    index hears about it exactly as it does from the worker)."""
    added = add_link(user, url, tags=list(tags), visibility=visibility)
    snapshot = added.snapshot
    if captured is not None:
        Snapshot.objects.filter(pk=snapshot.pk).update(created_at=captured)
        snapshot.refresh_from_db()
    snapshot.title, snapshot.text = title, text
    return finish(snapshot, "succeeded")


def found(viewer, query: str, **options) -> list[int]:
    """Snapshot ids of the results, best first."""
    return [hit.snapshot_id for hit in api.search(viewer, query, limit=100, **options).hits]


def found_set(viewer, query: str) -> set[int]:
    return set(found(viewer, query))
