"""Helpers for the search tests: result lists (pages are kept with
linkhome.testing.factories.kept, without a network)."""

from linkhome.search import api


def found(viewer, query: str, **options) -> list[int]:
    """Snapshot ids of the results, best first."""
    return [hit.snapshot_id for hit in api.search(viewer, query, limit=100, **options).hits]


def found_set(viewer, query: str) -> set[int]:
    return set(found(viewer, query))
