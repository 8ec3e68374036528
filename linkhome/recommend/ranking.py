""" "More like this": which links are related to one link, best first.

1. Retrieval: the link's QUERY_TERMS strongest terms, plus its tag names, are searched in the
   index (search_terms, bm25) for CANDIDATES links the viewer may see.
2. Text score: the cosine between the two profiles' TF-IDF vectors (bm25 over twenty terms
   ranks worse than the cosine over all of them: 0.85 against 0.90 P@5 on thucnews), plus
   pseudo-relevance feedback: the candidates most like the whole of the FEEDBACK best ones
   gain a little (FEEDBACK_WEIGHT), which pulls the list toward the page's subject rather
   than toward one incidental word it shares with a neighbour.
3. Blend: plus TAG_WEIGHT times the tag overlap (Jaccard over tag names, case-folded), plus a
   tie-breaking SITE_WEIGHT for the same site.
4. Exclusions: the link itself, other people's copies of the same address, near-duplicates
   of the page (MinHash), and near-duplicates of a candidate already chosen (one copy of an
   article, not three).
"""

from collections.abc import Sequence
from dataclasses import dataclass, field

from linkhome.links.models import Link
from linkhome.recommend import corpus, fingerprint, profiles, vectors
from linkhome.recommend.models import Profile

# Tuned on the whole topic corpora, lists ranked again after capture (P@5 thucnews / bbc /
# kpcrowd): 20 terms, 60 candidates, feedback 3 x 0.3 gave 0.913 / 0.927 / 0.636; 40, 120,
# 2 x 1.0 give 0.916 / 0.932 / 0.644. Twice the candidates cost ranking at capture time,
# never a page view (the lists are stored: recommend.neighbours).
QUERY_TERMS = 40
CANDIDATES = 120
FEEDBACK = 2
FEEDBACK_WEIGHT = 1.0
TAG_WEIGHT = 0.25
SITE_WEIGHT = 0.02
# Below this a candidate shares a word or two by chance: "nothing related yet" is better.
MIN_SCORE = 0.03


@dataclass
class Candidate:
    link_id: int
    snapshot_id: int
    host: str = ""
    normalized_url: str = ""
    terms: vectors.Vector = field(default_factory=dict)
    sketch: frozenset[int] = frozenset()
    tags: set[str] = field(default_factory=set)
    score: float = 0.0


@dataclass(frozen=True)
class Related:
    link_id: int
    snapshot_id: int
    score: float


def related_links(
    viewer: corpus.Viewer, link: Link, profile: Profile, tag_names: Sequence[str], limit: int
) -> list[Related]:
    """The links most like `link` (whose tags are `tag_names`) that the viewer may see, best
    first."""
    tags = {name.casefold() for name in tag_names}
    candidates = _candidates(viewer, link, profile, tags)
    for candidate in candidates:
        candidate.score = vectors.cosine(profile.terms, candidate.terms)
    _feedback(candidates)
    for candidate in candidates:
        candidate.score += _blend(link, tags, candidate)
    chosen = _distinct(link, profile, sorted(candidates, key=lambda c: -c.score), limit)
    return [Related(c.link_id, c.snapshot_id, round(c.score, 6)) for c in chosen]


def _candidates(
    viewer: corpus.Viewer, link: Link, profile: Profile, tags: set[str]
) -> list[Candidate]:
    weights: dict[str, float] = dict(vectors.strongest(profile.terms, QUERY_TERMS))
    top = max(weights.values(), default=vectors.SCALE)
    for name in tags:
        for token in corpus.analyze(name):
            weights[token] = max(weights.get(token, 0), top)
    rows = corpus.more_like(viewer, weights, CANDIDATES, [link.pk]) if weights else []
    found = {row.link_id: Candidate(row.link_id, row.snapshot_id) for row in rows}
    _load(found)
    return list(found.values())


def _load(found: dict[int, Candidate]) -> None:
    """Addresses, profiles and tags of the candidates, in three queries however many."""
    ids = list(found)
    for link_id, host, normalized in Link.objects.filter(pk__in=ids).values_list(
        "pk", "host", "normalized_url"
    ):
        found[link_id].host, found[link_id].normalized_url = host, normalized
    for link_id, terms, packed in _profiles(ids):
        found[link_id].terms, found[link_id].sketch = terms, fingerprint.hashes(packed)
    tagged = Link.tags.through.objects.filter(link_id__in=ids)
    for link_id, name in tagged.values_list("link_id", "tag__name"):
        found[link_id].tags.add(name.casefold())


def _profiles(ids: list[int]) -> list[tuple[int, dict, bytes | memoryview]]:
    rows = list(Profile.objects.filter(link_id__in=ids).values_list("link_id", "terms", "sketch"))
    missing = set(ids) - {row[0] for row in rows}
    # Pages indexed before recommendations existed (or whose update failed) get one now.
    if missing and profiles.update(missing):
        rows += Profile.objects.filter(link_id__in=missing).values_list(
            "link_id", "terms", "sketch"
        )
    return rows


def _feedback(candidates: Sequence[Candidate]) -> None:
    best = sorted(candidates, key=lambda c: -c.score)[:FEEDBACK]
    total = sum(c.score for c in best)
    if total <= 0:
        return
    gains = [
        sum(b.score * (1.0 if b is c else vectors.cosine(b.terms, c.terms)) for b in best)
        for c in candidates
    ]
    for candidate, gain in zip(candidates, gains, strict=True):
        candidate.score += FEEDBACK_WEIGHT * gain / total


def _blend(link: Link, tags: set[str], candidate: Candidate) -> float:
    overlap = len(tags & candidate.tags) / len(tags | candidate.tags) if tags else 0.0
    same_site = bool(link.host) and candidate.host == link.host
    return TAG_WEIGHT * overlap + SITE_WEIGHT * same_site


def _distinct(link: Link, profile: Profile, ranked: list[Candidate], limit: int) -> list[Candidate]:
    chosen: list[Candidate] = []
    own = fingerprint.hashes(profile.sketch)
    for candidate in ranked:
        if candidate.score < MIN_SCORE or candidate.normalized_url == link.normalized_url:
            continue
        seen = [own, *(c.sketch for c in chosen)]
        if any(fingerprint.near_duplicates(candidate.sketch, s) for s in seen):
            continue
        chosen.append(candidate)
        if len(chosen) == limit:
            break
    return chosen
