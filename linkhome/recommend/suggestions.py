"""Tag suggestions: a page's own keywords, steered toward tags that already exist.

Free-form tags sprawl (a peer tool found 84% of its automatic tags used three times or
fewer), so a keyword that is already one of the person's tags, or a tag common on the
platform, counts more, and is offered in that tag's spelling (Python, not python). An
existing tag the page mentions is offered even if it is not among the top keywords.

A link being added has no text yet, so text suggestions come once it is captured (the
snapshot page); suggest_tags_for_url offers, at add time, the tags the person already used
on the same site, which costs one query and needs no text.
"""

from collections import Counter

from django.contrib.auth.models import User
from django.core.cache import cache
from django.db.models import Count

from linkhome.archive.models import Snapshot
from linkhome.lib.urls import site_of
from linkhome.links.models import Tag
from linkhome.links.visibility import visible_q
from linkhome.recommend import corpus, keywords
from linkhome.search.analyzers import fold

DEFAULT_LIMIT = 5
CANDIDATES = 30
OWN_BOOST = 2.0  # one of the person's own tags
COMMON_BOOST = 1.5  # a tag many people use
MENTIONED = 0.3  # an existing tag the page mentions, outside its top keywords
COMMON_MIN_LINKS = 3
COMMON_MIN_OWNERS = 2
COMMON_TAGS = 500
COMMON_CACHE_SECONDS = 600


def suggest_tags(
    owner: User, text_or_snapshot: str | Snapshot, limit: int = DEFAULT_LIMIT
) -> list[str]:
    """Up to `limit` tag names for this text or captured page, best first; none of the tags
    the link already has."""
    title, text, current = _source(text_or_snapshot)
    known = _known_tags(owner)
    scores: dict[str, tuple[float, str]] = {}
    for word, score in keywords.extract(title, text, CANDIDATES):
        key = fold(word)
        name, boost = known.get(key, (word, 1.0))
        scores[key] = max(scores.get(key, (0.0, name)), (score * boost, name))
    _add_mentioned(scores, known, f"{title}\n{text}")
    ranked = sorted(scores.items(), key=lambda item: -item[1][0])
    return [name for key, (_, name) in ranked if key not in current][:limit]


def _source(source: str | Snapshot) -> tuple[str, str, set[str]]:
    if isinstance(source, Snapshot):
        link = source.link
        current = {fold(tag.name) for tag in link.tags.all()}
        return source.title or link.title, source.text or source.description, current
    return "", source, set()


def _known_tags(owner: User) -> dict[str, tuple[str, float]]:
    """Folded name → (the spelling to offer, how much it counts)."""
    known = {fold(name): (name, COMMON_BOOST) for name in common_tags()}
    for name in Tag.objects.filter(owner=owner).values_list("name", flat=True):
        known[fold(name)] = (name, OWN_BOOST)
    return known


def common_tags() -> list[str]:
    """Tag names on at least COMMON_MIN_LINKS public links of COMMON_MIN_OWNERS people, most
    used first; cached for some minutes (it counts every tagged public link)."""
    names = cache.get("recommend:common-tags")
    if names is None:
        names = _count_common_tags()
        cache.set("recommend:common-tags", names, COMMON_CACHE_SECONDS)
    return names


def _count_common_tags() -> list[str]:
    public = visible_q(None, "links__")
    rows = (
        Tag.objects.values("name")
        .annotate(links_n=Count("links", filter=public), owners_n=Count("owner", distinct=True))
        .filter(links_n__gte=COMMON_MIN_LINKS, owners_n__gte=COMMON_MIN_OWNERS)
        .order_by("-links_n", "name")
    )
    return [row["name"] for row in rows[:COMMON_TAGS]]


def _add_mentioned(
    scores: dict[str, tuple[float, str]], known: dict[str, tuple[str, float]], text: str
) -> None:
    folded = fold(text)
    words = set(corpus.analyze(text))
    for key, (name, boost) in known.items():
        if key not in scores and _mentions(folded, words, key):
            scores[key] = (MENTIONED * boost, name)


def _mentions(folded: str, words: set[str], key: str) -> bool:
    """Han tags are looked for as text; others as whole words (a tag "art" is not in
    "start")."""
    tokens = corpus.analyze(key)
    if not tokens or any(t not in words for t in tokens):
        return False
    return len(tokens) == 1 or key in folded


def suggest_tags_for_url(owner: User, url: str, limit: int = DEFAULT_LIMIT) -> list[str]:
    """Before capture: the tags this person used most on links of the same site."""
    host = site_of(url)
    if not host:
        return []
    used = Tag.objects.filter(owner=owner, links__host=host).values_list("name", flat=True)
    return [name for name, _ in Counter(used).most_common(limit)]
