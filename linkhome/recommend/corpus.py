"""What recommendations ask of the search index, in one place (the index is search's).

Everything goes through linkhome.search.api except reading many documents' tokens at once
with their snapshot ids: the API reads one link at a time (document_tokens) and without
the snapshot id, so the backend's own batch read is used here until the API offers it.
"""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser

from linkhome.search import api as search
from linkhome.search import documents
from linkhome.search.backends import backend

Viewer = AbstractBaseUser | AnonymousUser | None
Ranked = search.Ranked


@dataclass(frozen=True)
class IndexedText:
    link_id: int
    snapshot_id: int  # the link's newest finished snapshot, which the document came from
    title: list[str]
    body: list[str]


def indexed(link_ids: Sequence[int]) -> dict[int, IndexedText]:
    """The indexed title and body tokens of these links (those that are in the index)."""
    stored = backend().stored(list(link_ids)) if link_ids else {}
    return {
        link_id: IndexedText(link_id, doc.snapshot_id, doc.title.split(), doc.body.split())
        for link_id, doc in stored.items()
    }


def indexed_snapshots(link_ids: Sequence[int]) -> dict[int, int]:
    """link id → the snapshot its document came from, for the links in the index."""
    return backend().snapshot_ids(list(link_ids)) if link_ids else {}


def finished_since(since: datetime) -> list[int]:
    """Links with a capture that finished since then (the index may or may not have it)."""
    return documents.finished_since(since)


def indexed_link_ids() -> list[int]:
    return sorted(backend().link_ids())


def frequencies(terms: Sequence[str]) -> dict[str, int]:
    return search.document_frequencies(terms) if terms else {}


def size() -> int:
    return search.document_count()


def analyze(text: str) -> list[str]:
    return search.analyze(text)


def more_like(
    viewer: Viewer, weights: Mapping[str, float], limit: int, exclude: Sequence[int]
) -> list[Ranked]:
    return search.search_terms(viewer, weights, limit=limit, exclude_link_ids=exclude)
