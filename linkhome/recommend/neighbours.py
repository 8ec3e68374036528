"""Related links, precomputed: each profile keeps its ranked public neighbours.

Ranking costs tens of milliseconds at 10k pages and grows with the index (the search for
candidates), too slow for every page view; reading a stored list costs one indexed row. The
lists are kept current by the events that change them:
- a link's capture finishes, its title or tags change, it becomes public: its list is
  ranked in full, and it is offered to each neighbour it found (the cosine is symmetric):
  a neighbour whose list is short or weaker takes it in, so a new page appears in the
  sidebars of the older pages it is like, at once;
- a link deleted or made private: left in lists, and dropped at every view (related.py
  checks visibility and existence each time), so it leaves every sidebar at once;
- drift (re-weighed profiles, neighbours deleted since): every capture also ranks again the
  REFRESH_BATCH lists ranked longest ago, so every list is re-ranked in turn.
"""

from collections.abc import Iterable

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from linkhome.links.models import Link
from linkhome.links.visibility import can_see
from linkhome.recommend import profiles
from linkhome.recommend.models import Profile
from linkhome.recommend.ranking import Related, related_links

STORED = 24  # the sidebar shows 8; the rest stand in for ones hidden or deleted since
# Lists ranked early miss pages that came later and rank high for them but not the other way
# round (offers only go to a new page's own top STORED). Re-ranking 4 lists a capture rather
# than 2 brought bbc P@5 as captured from 0.928 to 0.930 (0.932 with every list re-ranked).
REFRESH_BATCH = 4


def rank(link_ids: Iterable[int], *, offer: bool = True) -> int:
    """Rank these links' neighbours in full and store them; with `offer`, also offer each
    (if public) to the neighbours it found. Returns how many lists were stored."""
    done = 0
    for link in Link.objects.filter(pk__in=list(link_ids)).prefetch_related("tags"):
        profile = profiles.ensure(link.pk)
        if profile is None:
            continue
        ranked = _rank(link, profile)
        if offer and can_see(None, link.owner_id, link.visibility):
            _offer(link.pk, profile.snapshot_id, ranked)
        done += 1
    return done


def _rank(link: Link, profile: Profile) -> list[Related]:
    names = [tag.name for tag in link.tags.all()]
    ranked = related_links(None, link, profile, names, STORED)
    profile.related = [[r.link_id, r.snapshot_id, r.score] for r in ranked]
    profile.related_at = timezone.now()
    profile.save(update_fields=["related", "related_at"])
    return ranked


def _offer(link_id: int, snapshot_id: int, ranked: list[Related]) -> None:
    scores = {r.link_id: r.score for r in ranked}
    with transaction.atomic():
        rows = Profile.objects.select_for_update().filter(link_id__in=list(scores))
        changed = [
            p
            for p in rows.only("link_id", "related")
            if _take(p, link_id, snapshot_id, scores[p.link_id])
        ]
        Profile.objects.bulk_update(changed, ["related"])


def _take(neighbour: Profile, link_id: int, snapshot_id: int, score: float) -> bool:
    """Put the link into the neighbour's list if it ranks there; True if the list changed."""
    others = [entry for entry in neighbour.related if entry[0] != link_id]
    if len(others) >= STORED and score <= others[-1][2]:
        return False
    entries = sorted([*others, [link_id, snapshot_id, score]], key=lambda e: -e[2])
    neighbour.related = entries[:STORED]
    return True


def refresh_oldest(limit: int = REFRESH_BATCH) -> int:
    """Rank again the lists ranked longest ago (never-ranked ones first)."""
    order = (F("related_at").asc(nulls_first=True), "link_id")
    oldest = Profile.objects.order_by(*order).values_list("link_id", flat=True)
    return rank(list(oldest[:limit]), offer=False)


def rebuild() -> int:
    """Every list ranked again (after profiles.rebuild(); a bulk load, a benchmark)."""
    ids = list(Profile.objects.order_by("link_id").values_list("link_id", flat=True))
    return sum(rank(ids[start : start + 200], offer=False) for start in range(0, len(ids), 200))
