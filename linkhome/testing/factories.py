"""Factories for tests: the one place that makes signed-in clients, kept links and
snapshots. Each goes through the real services (add_link, finish, run_capture,
store_artifact), so signals, the search index and profiles see what they see in production.

No pytest; Django and the apps are imported by the functions that need them, so importing
this module before Django is set up (a bench script) is safe.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import datetime
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from django.contrib.auth.models import AbstractBaseUser
    from django.test import Client

    from linkhome.capture.models import Snapshot


def client_for(user: AbstractBaseUser | None = None) -> Client:
    """A Django test client signed in as `user` (anonymous when None)."""
    from django.test import Client

    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def kept(
    user: AbstractBaseUser,
    url: str,
    text: str = "",
    *,
    title: str = "",
    tags: Iterable[str] = (),
    visibility: str = "public",
    captured: datetime | None = None,
) -> Snapshot:
    """A link whose capture finished with this title and text, without a network: the real
    finish(), so the index and profiles hear about it exactly as they do from the worker.
    `captured` backdates the snapshot."""
    from linkhome.capture.models import Snapshot
    from linkhome.capture.services import finish
    from linkhome.links.services import add_link

    snapshot = add_link(user, url, tags=list(tags), visibility=visibility).snapshot
    if captured is not None:
        Snapshot.objects.filter(pk=snapshot.pk).update(created_at=captured)
        snapshot.refresh_from_db()
    snapshot.title, snapshot.text = title, text
    return finish(snapshot, "succeeded")


def captured(user: AbstractBaseUser, url: str, **link_options: object) -> Snapshot:
    """A link added and captured for real (run_capture, as the worker runs it), which must
    have succeeded; `link_options` go to add_link (visibility, tags...)."""
    from linkhome.capture.pipeline import run_capture
    from linkhome.links.services import add_link

    snapshot = run_capture(add_link(user, url, **link_options).snapshot.pk)
    assert snapshot.status == "succeeded", snapshot.error
    return snapshot


def stored(
    user: AbstractBaseUser,
    url: str,
    artifacts: Mapping[str, tuple[bytes, str]],
    *,
    visibility: str = "public",
    finished: bool = False,
    **fields: object,
) -> Snapshot:
    """A snapshot holding `artifacts` {kind: (bytes, mime)}, made without a capture: for
    tests of how archived bytes are served. `fields` are set on the snapshot first (charset);
    `finished` marks it succeeded afterwards, as a capture would."""
    from linkhome.capture.artifacts import store_artifact
    from linkhome.capture.services import finish
    from linkhome.links.services import add_link

    snapshot = add_link(user, url, visibility=visibility).snapshot
    if fields:
        for name, value in fields.items():
            setattr(snapshot, name, value)
        snapshot.save()
    for kind, (data, mime) in artifacts.items():
        store_artifact(snapshot, kind, data, mime)
    if finished:
        finish(snapshot, "succeeded")
    return snapshot
