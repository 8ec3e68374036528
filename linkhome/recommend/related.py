"""Related snapshots for the 相关文章推荐 sidebar, the REST API and the CLI.

"More like this" over the search index (recommend.ranking), ranked when a page is captured
and kept current by recommend.neighbours; a view reads the stored list. Guarantees, whoever
calls and however stale the list:
- only public snapshots, to everyone, the owner of a private one included: a private
  snapshot is never recommended (checked on every view, so a link made private leaves every
  sidebar at once);
- never the link itself, another snapshot of it, someone else's copy of the same address or
  a near-duplicate of its text (decided when ranking);
- only finished captures: the newest finished snapshot of each link, looked up on every view.
"""

from django.contrib.auth.models import User
from django.core.exceptions import ObjectDoesNotExist

from linkhome.accounts.services import nickname_of
from linkhome.archive.models import Snapshot, SnapshotStatus
from linkhome.lib.urls import display_url
from linkhome.links.models import Link
from linkhome.links.visibility import can_see
from linkhome.recommend import neighbours
from linkhome.recommend.models import Profile

DEFAULT_LIMIT = 8
SHOWN_STATUSES = (SnapshotStatus.SUCCEEDED, SnapshotStatus.PARTIAL)


def related_snapshots(snapshot: Snapshot, limit: int = DEFAULT_LIMIT) -> list[Snapshot]:
    """The newest finished snapshot of each related public link, best first: the same list
    for whoever looks (links.visibility, for a viewer of None), so it takes no viewer."""
    return [snapshot for snapshot, _ in scored_related(snapshot, limit)]


def scored_related(snapshot: Snapshot, limit: int = DEFAULT_LIMIT) -> list[tuple[Snapshot, float]]:
    """The same, with each one's score (higher is closer; comparable within one list)."""
    stored = _stored(snapshot.link_id)
    scores = {link_id: score for link_id, _, score in stored}
    newest = _newest_public(list(scores))
    ranked = sorted(newest.values(), key=lambda s: -scores[s.link_id])
    return [(s, scores[s.link_id]) for s in ranked[:limit]]


def _stored(link_id: int) -> list[list]:
    profile = Profile.objects.filter(link_id=link_id).only("related", "related_at").first()
    if profile is None or profile.related_at is None:
        # A page indexed before recommendations existed, or whose ranking failed at capture.
        neighbours.rank([link_id])
        profile = Profile.objects.filter(link_id=link_id).only("related").first()
    return profile.related if profile else []


def _newest_public(link_ids: list[int]) -> dict[int, Snapshot]:
    """The newest finished snapshot of each of these links that is public, by link."""
    chosen = _newest_finished(_public(link_ids))
    loaded = Snapshot.objects.filter(pk__in=chosen).defer("text", "description")
    return {s.link_id: s for s in loaded.select_related("link__owner__profile")}


# Plain lookups by key, with visibility and status checked in Python: as one join with them
# in SQL, SQLite (without ANALYZE statistics) walked the status index or every public link
# instead of the few rows of these links (50-130 ms a view at 100k snapshots, now 6).
def _public(link_ids: list[int]) -> list[int]:
    links = Link.objects.filter(pk__in=link_ids).values_list("pk", "owner_id", "visibility")
    return [pk for pk, owner_id, visibility in links if can_see(None, owner_id, visibility)]


def _newest_finished(link_ids: list[int]) -> list[int]:
    rows = Snapshot.objects.filter(link_id__in=link_ids).order_by()
    newest: dict[int, tuple] = {}
    for link_id, created, pk, status in rows.values_list("link_id", "created_at", "pk", "status"):
        if status in SHOWN_STATUSES:
            newest[link_id] = max(newest.get(link_id, (created, pk)), (created, pk))
    return [pk for _, pk in newest.values()]


def related_summaries(snapshot: Snapshot, limit: int = DEFAULT_LIMIT) -> list[dict]:
    """The JSON shape of the list, for the REST API and `linkhome related --json`."""
    return [_summary(s, score) for s, score in scored_related(snapshot, limit)]


def _summary(snapshot: Snapshot, score: float) -> dict:
    link = snapshot.link
    return {
        "snapshot_id": snapshot.pk,
        "link_id": link.pk,
        "title": link.title or snapshot.title or display_url(link.url),
        "url": display_url(link.url),
        "site": link.host,
        "nickname": _nickname(link.owner),
        "captured_at": snapshot.created_at.isoformat(),
        "score": score,
    }


def _nickname(user: User) -> str:
    try:
        return user.profile.nickname  # loaded with the snapshot
    except ObjectDoesNotExist:
        return nickname_of(user)  # an account from before nicknames: given one now


__all__ = ["related_snapshots", "related_summaries", "scored_related"]
