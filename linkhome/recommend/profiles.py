"""Computing and keeping links' profiles (recommend.models.Profile).

A profile is computed when its link's capture finishes (receivers.py), from the tokens the
search index holds for it, weighed against the index's document frequencies. An index that
grows makes early weights stale (the first page of a new instance was weighed against
itself), so each update also weighs again a few profiles computed when the index was less
than STALE_RATIO of its size now: amortised, a handful per capture, and an instance's first
pages are soon weighed like the rest. rebuild() computes every profile in bulk, with the
document frequencies counted in one pass instead of asked of the index.
"""

import math
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from datetime import datetime

from django.db import transaction
from django.utils import timezone

from linkhome.recommend import corpus, vectors
from linkhome.recommend.fingerprint import sketch
from linkhome.recommend.models import Profile

STALE_RATIO = 0.8
STALE_BATCH = 4
REBUILD_BATCH = 500
Progress = Callable[[int, int], None]


def update(link_ids: Iterable[int]) -> int:
    """(Re)compute these links' profiles from the index; a link that is not indexed loses
    its profile. Returns how many were written."""
    ids = sorted(set(link_ids))
    texts = corpus.indexed(ids)
    counts = {i: vectors.term_counts(t.title, t.body) for i, t in texts.items()}
    terms = sorted({term for c in counts.values() for term in c})
    frequencies, size = corpus.frequencies(terms), corpus.size()
    profiles = [_profile(texts[i], counts[i], frequencies, size) for i in texts]
    with transaction.atomic():
        Profile.objects.filter(link_id__in=[i for i in ids if i not in texts]).delete()
        _save(profiles)
    return len(profiles)


def _profile(
    text: corpus.IndexedText, counts: Counter, frequencies: dict[str, int], size: int
) -> Profile:
    return Profile(
        link_id=text.link_id,
        snapshot_id=text.snapshot_id,
        sketch=sketch(text.body or text.title),
        terms=vectors.weigh(counts, frequencies, size),
        index_size=size,
        updated_at=timezone.now(),
    )


def _save(profiles: Sequence[Profile]) -> None:
    Profile.objects.bulk_create(
        profiles,
        update_conflicts=True,
        unique_fields=["link"],
        update_fields=["snapshot_id", "sketch", "terms", "index_size", "updated_at"],
    )


def refresh_stale(limit: int = STALE_BATCH) -> int:
    """Weigh again the profiles weighed against the smallest index, if it has grown."""
    threshold = math.ceil(corpus.size() * STALE_RATIO)
    stale = Profile.objects.filter(index_size__lt=threshold).order_by("index_size")
    ids = list(stale.values_list("link_id", flat=True)[:limit])
    return update(ids) if ids else 0


def behind_index(since: datetime | None) -> list[int]:
    """Links whose profile is missing or weighed from another snapshot than the one the
    index holds; only links captured since `since` (all indexed links when None)."""
    ids = corpus.indexed_link_ids() if since is None else corpus.finished_since(since)
    behind: list[int] = []
    for chunk in _chunks(ids, 500):
        held = corpus.indexed_snapshots(chunk)
        weighed = dict(
            Profile.objects.filter(link_id__in=chunk).values_list("link_id", "snapshot_id")
        )
        behind += [i for i in chunk if i in held and weighed.get(i) != held[i]]
    return behind


def ensure(link_id: int) -> Profile | None:
    """The link's profile, computed now if it has none yet (an instance that had pages
    before recommendations existed)."""
    profile = Profile.objects.filter(link_id=link_id).first()
    if profile is None and update([link_id]):
        profile = Profile.objects.filter(link_id=link_id).first()
    return profile


def rebuild(progress: Progress | None = None, batch: int = REBUILD_BATCH) -> int:
    """Every indexed link's profile again: document frequencies counted in a first pass over
    the index's tokens, the profiles weighed and written in a second."""
    ids = corpus.indexed_link_ids()
    frequencies: Counter[str] = Counter()
    for chunk in _chunks(ids, batch):
        for text in corpus.indexed(chunk).values():
            frequencies.update(vectors.term_counts(text.title, text.body).keys())
    for done, chunk in enumerate(_chunks(ids, batch), 1):
        texts = corpus.indexed(chunk).values()
        counts = [(t, vectors.term_counts(t.title, t.body)) for t in texts]
        with transaction.atomic():
            _save([_profile(t, c, frequencies, len(ids)) for t, c in counts])
        if progress:
            progress(min(done * batch, len(ids)), len(ids))
    _drop_unindexed(set(ids))
    return len(ids)


def _drop_unindexed(indexed: set[int]) -> None:
    kept = Profile.objects.values_list("link_id", flat=True)
    gone = [link_id for link_id in kept.iterator() if link_id not in indexed]
    for chunk in _chunks(gone, 1000):
        Profile.objects.filter(link_id__in=chunk).delete()


def _chunks(ids: list[int], size: int) -> Iterable[list[int]]:
    return (ids[start : start + size] for start in range(0, len(ids), size))
