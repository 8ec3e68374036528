"""Keeping the index current as links and tags are edited, so links never imports search.
The worker connects these to Django's model signals (worker/edits.py), with recommend's
after them; after a capture the worker's sequence indexes the link (worker/sequence.py).

Every update runs synchronously in the transaction of the change that caused it: the index
lives in the same database, so it commits or rolls back with that change and a search never
sees a deleted link or text that was never saved. Each update runs in a savepoint and a
failure is logged, not raised: a broken index must not stop anyone from saving a tag (and
privacy never depends on the index being current: it is checked against the links table).

- a link is saved (title, address; post_save) or its tags change (m2m_changed on Link.tags,
  either side), a tag is renamed (post_save on Tag) or deleted (pre/post_delete on Tag);
- a link is deleted (post_delete on Link, whoever deletes it); a snapshot is deleted
  (post_delete on Snapshot: after commit, the next newest finished one takes its place);
- after `migrate` or a test database flush (post_migrate), rows whose snapshot is gone are
  dropped.
"""

import functools
import logging
import threading
from collections.abc import Callable

from django.apps import AppConfig
from django.db import connections, transaction

from linkhome.archive.models import Snapshot
from linkhome.links.models import Link, Tag
from linkhome.search.backends import backend
from linkhome.search.indexing import index_links, remove_links

log = logging.getLogger("linkhome.search")
# Saving only these changes nothing the index holds (visibility is checked at query time).
UNINDEXED_FIELDS = frozenset({"visibility", "note", "updated_at"})


def guarded(receiver: Callable[..., None]) -> Callable[..., None]:
    @functools.wraps(receiver)
    def run(*args: object, **kwargs: object) -> None:
        try:
            with transaction.atomic():
                receiver(*args, **kwargs)
        except Exception:
            log.exception(
                "search index not updated by %s; `linkhome reindex` repairs it", receiver.__name__
            )

    return run


@guarded
def on_link_saved(
    sender: type,
    instance: Link,
    created: bool,
    update_fields: frozenset[str] | None = None,
    **_: object,
) -> None:
    if created or (update_fields and set(update_fields) <= UNINDEXED_FIELDS):
        return  # a new link has no capture yet; the worker indexes it after its capture
    index_links([instance.pk])


@guarded
def on_link_deleted(sender: type, instance: Link, **_: object) -> None:
    remove_links([instance.pk])


def on_snapshot_deleted(sender: type, instance: Snapshot, **_: object) -> None:
    """No query here: deleting a link with many snapshots must cost the same queries as
    one with a few. The link is noted, and indexed once after the deletion commits; until
    then its document names a snapshot that is gone, which search never shows (it joins
    the snapshot)."""
    _pending().add(instance.link_id)
    transaction.on_commit(_index_pending, robust=True)


_local = threading.local()  # per thread, as transactions are


def _pending() -> set[int]:
    if not hasattr(_local, "links"):
        _local.links = set()
    return _local.links


def _index_pending() -> None:
    # Many snapshots, one callback each: the first takes every link, the rest find none
    # (and cost nothing, not even a transaction).
    pending = _pending()
    if pending:
        ids = sorted(pending)
        pending.clear()
        _index_links(ids)


@guarded
def _index_links(ids: list[int]) -> None:
    index_links(ids)


@guarded
def on_tags_changed(
    sender: type,
    instance: Link | Tag,
    action: str,
    reverse: bool,
    pk_set: set[int] | None,
    **_: object,
) -> None:
    if not reverse:  # link.tags.add/remove/set/clear
        if action in ("post_add", "post_remove", "post_clear"):
            index_links([instance.pk])
    elif action == "pre_clear":  # tag.links.clear(): remember who loses the tag
        assert isinstance(instance, Tag), "reverse: the change came through tag.links"
        _note_links(instance)
    elif action == "post_clear":
        index_links(_noted_links(instance))
    elif action in ("post_add", "post_remove"):
        index_links(pk_set or [])


@guarded
def on_tag_saved(sender: type, instance: Tag, created: bool, **_: object) -> None:
    if not created:  # renamed
        index_links(instance.links.values_list("pk", flat=True))


@guarded
def on_tag_deleting(sender: type, instance: Tag, **_: object) -> None:
    # The tag's link relations are deleted with it, without m2m_changed.
    _note_links(instance)


@guarded
def on_tag_deleted(sender: type, instance: Tag, **_: object) -> None:
    index_links(_noted_links(instance))


# Kept on the tag object itself: Django hands the pre_ and the post_ signal the same object,
# and by the post_ one the relations are gone. The attribute is search's own (links knows
# nothing of it), so it is set and read by name.
_NOTED_LINKS = "_search_links"


def _note_links(tag: Tag) -> None:
    setattr(tag, _NOTED_LINKS, list(tag.links.values_list("pk", flat=True)))


def _noted_links(instance: Link | Tag) -> list[int]:
    return getattr(instance, _NOTED_LINKS, [])


def on_migrated(sender: AppConfig, using: str, **_: object) -> None:
    tables = connections[using].introspection.table_names()
    if "search_fts_snapshot" in tables or "search_document" in tables:
        backend().prune()
