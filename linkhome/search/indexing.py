"""Writing the index: one link, many links, or everything again."""

from collections.abc import Callable, Iterable
from datetime import datetime

from django.db import transaction

from linkhome.search import documents, versioning
from linkhome.search.backends import backend
from linkhome.search.documents import Document

REBUILD_BATCH = 200
Progress = Callable[[int, int], None]


def index_links(link_ids: Iterable[int], *, reuse: bool = True) -> int:
    """(Re)index these links from their newest finished snapshots; a link that has none, or
    no longer exists, leaves the index. Returns how many documents were written."""
    ids = sorted(set(link_ids))
    if not ids:
        return 0
    engine = backend()
    written = _documents(ids, engine.stored(ids) if reuse else {})
    gone = sorted(set(ids) - {d.link_id for d in written})
    with transaction.atomic():
        if gone:
            engine.delete(gone)
        if written:
            engine.write(written)
            versioning.note_written()
    return len(written)


def _documents(ids: list[int], previous: dict[int, Document]) -> list[Document]:
    return [
        documents.build(link, snapshot, previous=previous.get(link.pk))
        for link, snapshot in documents.sources(ids)
        if snapshot is not None
    ]


def remove_links(link_ids: Iterable[int]) -> None:
    backend().delete(sorted(set(link_ids)))


def rebuild(progress: Progress | None = None, batch: int = REBUILD_BATCH) -> int:
    """Analyse every link again, in batches (each its own transaction, so the capture worker
    can write in between), then drop what no longer belongs and record the version."""
    ids = documents.indexable_link_ids()
    _index_in_batches(ids, progress, batch)
    engine = backend()
    with transaction.atomic():
        engine.delete(sorted(engine.link_ids() - set(ids)))
        engine.prune()
        versioning.mark_current()
    return len(ids)


def catch_up(progress: Progress | None = None, batch: int = REBUILD_BATCH) -> int:
    """Index the links that have a finished capture but no document (an index that
    started empty on an instance that already had pages); returns how many."""
    missing = sorted(set(documents.indexable_link_ids()) - backend().link_ids())
    _index_in_batches(missing, progress, batch)
    return len(missing)


def catch_up_since(since: datetime, batch: int = REBUILD_BATCH) -> int:
    """Index the links whose newest finished capture, finished since `since`, is not the one
    their document holds (a worker that died between a capture and its indexing)."""
    ids = documents.finished_since(since)
    behind = []
    for start in range(0, len(ids), batch):
        chunk = ids[start : start + batch]
        held = backend().snapshot_ids(chunk)
        newest = documents.newest_snapshot_ids(chunk)
        behind += [link_id for link_id in chunk if held.get(link_id) != newest.get(link_id)]
    _index_in_batches(behind, None, batch)
    return len(behind)


def _index_in_batches(ids: list[int], progress: Progress | None, batch: int) -> None:
    for start in range(0, len(ids), batch):
        index_links(ids[start : start + batch], reuse=False)
        if progress:
            progress(min(start + batch, len(ids)), len(ids))
