"""Related snapshots for the 相关文章推荐 sidebar, the one function every caller uses.

Until the search engine exists (issue 4), "related" means links sharing tag names with this
one, then links from the same site. Only public links are recommended, and never copies of
the same page: the sidebar is for finding something else.
"""

import hashlib

from django.contrib.auth.models import AbstractBaseUser
from django.core.cache import cache
from django.db.models import (
    Case,
    Count,
    Exists,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Value,
    When,
)

from linkhome.capture.models import Snapshot, SnapshotStatus
from linkhome.links.models import Link, Visibility

DEFAULT_LIMIT = 8
CACHE_SECONDS = 300
SHOWN_STATUSES = (SnapshotStatus.SUCCEEDED, SnapshotStatus.PARTIAL)


def related_snapshots(
    viewer: AbstractBaseUser | None, snapshot: Snapshot, limit: int = DEFAULT_LIMIT
) -> list[Snapshot]:
    """Newest finished snapshot of each related public link, best first.

    `viewer` is part of the contract so the search-based engine can widen it to the viewer's
    own private links; today only public links are ever recommended.

    Ranking costs ~20 ms at 10k links, so the ranked ids are cached for a few minutes (a
    new neighbour shows up late); visibility is checked again on every view, so a link
    made private leaves every sidebar at once."""
    link = snapshot.link
    names = sorted(tag.name for tag in link.tags.all())
    key = _cache_key(snapshot, names, limit)
    ids = cache.get(key)
    if ids is None:
        ranked = list(_ranked_links(link, names)[: limit * 2])  # some have no finished capture
        ids = _newest_finished(ranked)[:limit]
        cache.set(key, ids, CACHE_SECONDS)
    return _public_snapshots(ids)


def _cache_key(snapshot: Snapshot, names: list[str], limit: int) -> str:
    digest = hashlib.sha1("\n".join([snapshot.link.host, *names]).encode()).hexdigest()
    return f"related:{snapshot.pk}:{limit}:{digest}"


def _public_snapshots(ids: list[int]) -> list[Snapshot]:
    public = Link.objects.filter(pk=OuterRef("link_id"), visibility=Visibility.PUBLIC)
    rows = Snapshot.objects.filter(Exists(public), pk__in=ids).defer("text", "description")
    by_id = {s.pk: s for s in rows.select_related("link__owner__profile")}
    return [by_id[pk] for pk in ids if pk in by_id]


def _ranked_links(link: Link, names: list[str]) -> QuerySet:
    tagged = Link.tags.through.objects.filter(tag__name__in=names).values("link_id")
    near = Q(pk__in=tagged) | (Q(host=link.host) if link.host else Q(pk__in=[]))
    return (
        Link.objects.filter(near, visibility=Visibility.PUBLIC)
        .exclude(normalized_url=link.normalized_url)
        .annotate(
            shared=Count("tags", filter=Q(tags__name__in=names), distinct=True),
            same_site=_same_site(link.host),
        )
        .order_by("-shared", "-same_site", "-created_at")
        .values_list("pk", flat=True)
    )


def _same_site(host: str) -> Case:
    matches = When(host=host, then=Value(1)) if host else When(pk__in=[], then=Value(1))
    return Case(matches, default=Value(0), output_field=IntegerField())


def _newest_finished(link_ids: list[int]) -> list[int]:
    """The newest finished snapshot of each link, in the links' order; a separate query so
    the ranking above never runs a subquery per candidate."""
    rows = Snapshot.objects.filter(link_id__in=link_ids).order_by()
    # Status is checked here, not in SQL: given a status condition, SQLite (without ANALYZE
    # statistics) walks the status index over every finished snapshot instead.
    newest: dict[int, tuple] = {}
    for link_id, created, pk, status in rows.values_list("link_id", "created_at", "pk", "status"):
        if status in SHOWN_STATUSES:
            newest[link_id] = max(newest.get(link_id, (created, pk)), (created, pk))
    return [newest[link_id][1] for link_id in link_ids if link_id in newest]


__all__ = ["related_snapshots"]
