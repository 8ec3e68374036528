"""Factories for tests: the one place that makes signed-in clients, kept links and
snapshots. Each goes through the real services (add_link, finish, store_artifact) and the
worker's capture sequence (capture, or after_capture for a finish made by hand), so the
search index and profiles see what they see in production.

No pytest; Django and the apps are imported by the functions that need them, so importing
this module before Django is set up (a bench script) is safe.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import datetime
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from django.contrib.auth.models import User
    from django.test import Client

    from linkhome.archive.models import Snapshot
    from linkhome.links.services import AddedLink


def client_for(user: User | None = None) -> Client:
    """A Django test client signed in as `user` (anonymous when None)."""
    from django.test import Client

    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def kept(
    user: User,
    url: str,
    text: str = "",
    *,
    title: str = "",
    tags: Iterable[str] = (),
    visibility: str = "public",
    captured: datetime | None = None,
    again: bool = False,
) -> Snapshot:
    """A link whose capture finished with this title and text, without a network: the real
    finish() followed by the worker's after-capture sequence (index, then related lists).
    `captured` backdates the snapshot; `again` makes a new version of a link already kept
    (a recapture)."""
    from linkhome.archive.models import Snapshot
    from linkhome.links.services import add_link

    added = add_link(user, url, tags=list(tags), visibility=visibility, recapture=again)
    snapshot = added.snapshot
    assert snapshot is not None, "the link was kept already: ask for a new version (again)"
    if captured is not None:
        Snapshot.objects.filter(pk=snapshot.pk).update(created_at=captured)
        snapshot.refresh_from_db()
    snapshot.title, snapshot.text = title, text
    return finished(snapshot, "succeeded")


def finished(snapshot: Snapshot, status: str, error: str = "") -> Snapshot:
    """The snapshot finished by hand as a capture would finish it: finish(), then the
    worker's after-capture sequence (index, then related lists)."""
    from linkhome.archive.services import finish
    from linkhome.worker.sequence import after_capture

    finish(snapshot, status, error)
    after_capture(snapshot)
    return snapshot


def captured(user: User, url: str, **link_options: object) -> Snapshot:
    """A link added and captured for real (the worker's capture sequence), which must have
    succeeded; `link_options` go to add_link (visibility, tags...)."""
    from linkhome.links.services import add_link
    from linkhome.worker.sequence import capture_and_follow

    # add_link's keyword arguments, passed through as links.services.add_links does
    added = add_link(user, url, **link_options)  # type: ignore[arg-type]
    snapshot = capture_and_follow(_its_snapshot(added).pk)
    assert snapshot is not None, "another worker took the capture"
    assert snapshot.status == "succeeded", snapshot.error
    return snapshot


def stored(
    user: User,
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
    from linkhome.archive.artifacts import store_artifact
    from linkhome.links.services import add_link

    snapshot = _its_snapshot(add_link(user, url, visibility=visibility))
    if fields:
        for name, value in fields.items():
            setattr(snapshot, name, value)
        snapshot.save()
    for kind, (data, mime) in artifacts.items():
        store_artifact(snapshot, kind, data, mime)
    if finished:
        _finished(snapshot, "succeeded")
    return snapshot


_finished = finished  # `stored` has a parameter of the same name


def _its_snapshot(added: AddedLink) -> Snapshot:
    """The snapshot add_link queued (or, for an address kept before, found)."""
    assert added.snapshot is not None, f"add_link gave no snapshot for {added.link.url}"
    return added.snapshot
