"""Deleting a link: the link, its snapshots and artifacts, its tag relations, and every
blob nobody else needs. The web, the API and the CLI all call delete_link.

Only the owner may delete a link; the adapters find it among the person's own links
(queries.owned_links) and answer "no such link" otherwise, exactly as for editing.
"""

from dataclasses import dataclass

from django.db import transaction

from linkhome.archive.models import Snapshot
from linkhome.archive.removal import CaptureInProgress, RemovedSnapshots, delete_snapshots
from linkhome.lib.urls import display_url
from linkhome.links.models import Link
from linkhome.links.services import LinkError


class LinkBusy(LinkError):
    """The link is being captured right now; it can be deleted once the capture is done."""


@dataclass(frozen=True)
class DeletedLink:
    link_id: int
    url: str
    snapshots: int
    artifacts: int
    blobs_removed: int
    bytes_freed: int  # on disk: blobs are stored compressed


def delete_link(link: Link) -> DeletedLink:
    """Delete the link with everything only it used, in one transaction; blob files go
    once it commits. Raises LinkBusy while a worker captures it, Link.DoesNotExist when
    it is already gone."""
    link_id, url = link.pk, display_url(link.url)
    try:
        with transaction.atomic():
            removed = _delete_locked(link_id)
    except CaptureInProgress as exc:
        raise LinkBusy(
            f"link {link_id} is being captured right now; delete it when the capture is done"
        ) from exc
    return DeletedLink(
        link_id, url, removed.snapshots, removed.artifacts, removed.blobs, removed.stored_bytes
    )


def _delete_locked(link_id: int) -> RemovedSnapshots:
    # The lock makes a second delete of the same link (a double click) wait, then find
    # nothing, instead of both deleting at once.
    Link.objects.select_for_update().only("pk").get(pk=link_id)
    removed = delete_snapshots(Snapshot.objects.filter(link_id=link_id))
    # Tag relations go with the link; the tags stay (they are the owner's vocabulary).
    Link.objects.filter(pk=link_id).delete()
    # Search (issue 4): the link's entries leave the index here, in this transaction, so a
    # search never finds a deleted link. If search sits above links (it reads Link), this
    # is a signal sent here, as capture.signals does for the queue, not a direct call.
    return removed
