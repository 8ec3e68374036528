"""The index and the related lists follow every edit of links and tags, in this order.

Links are edited by the web, the API, the CLI and the admin, all through links.services, and
links sits below search and recommend (it cannot call them). Django's model signals are the
one place every such edit passes, so they are used here, and only here: one handler per
signal that runs search's receiver and then recommend's, in the transaction of the edit
(the index lives in the same database, so a search never sees an edit that rolled back).
The order is written below rather than left to INSTALLED_APPS: recommend's profiles read
the index's tokens, so the index must hold the edit first.

Captures are not followed here: the worker's sequence (worker/sequence.py) indexes a link
and ranks its related list after each capture.
"""

from django.apps import AppConfig
from django.db.models.signals import m2m_changed, post_delete, post_migrate, post_save, pre_delete

from linkhome.archive.models import Snapshot
from linkhome.links.models import Link, Tag
from linkhome.recommend import receivers as related
from linkhome.search import receivers as index


def on_link_saved(
    sender: type,
    instance: Link,
    created: bool,
    update_fields: frozenset[str] | None = None,
    **_: object,
) -> None:
    index.on_link_saved(sender, instance, created, update_fields)
    related.on_link_saved(sender, instance, created, update_fields)


def on_tags_changed(
    sender: type,
    instance: Link | Tag,
    action: str,
    reverse: bool,
    pk_set: set[int] | None,
    **_: object,
) -> None:
    index.on_tags_changed(sender, instance, action, reverse, pk_set)
    related.on_tags_changed(sender, instance, action, reverse)


def connect(search_app: AppConfig) -> None:
    uid = "linkhome.edits."
    post_save.connect(on_link_saved, sender=Link, dispatch_uid=uid + "link_saved")
    m2m_changed.connect(on_tags_changed, sender=Link.tags.through, dispatch_uid=uid + "tags")
    post_delete.connect(index.on_link_deleted, sender=Link, dispatch_uid=uid + "link_deleted")
    post_delete.connect(
        index.on_snapshot_deleted, sender=Snapshot, dispatch_uid=uid + "snapshot_deleted"
    )
    post_save.connect(index.on_tag_saved, sender=Tag, dispatch_uid=uid + "tag_saved")
    pre_delete.connect(index.on_tag_deleting, sender=Tag, dispatch_uid=uid + "tag_deleting")
    post_delete.connect(index.on_tag_deleted, sender=Tag, dispatch_uid=uid + "tag_deleted")
    post_migrate.connect(index.on_migrated, sender=search_app, dispatch_uid=uid + "migrated")
