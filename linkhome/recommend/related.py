"""Related snapshots for the 相关文章推荐 sidebar, the one function every caller uses.

Until the search engine exists (issue 4), "related" means links sharing tag names with this
one, then links from the same site. Only public links are recommended, and never copies of
the same page: the sidebar is for finding something else.
"""

from django.contrib.auth.models import AbstractBaseUser
from django.db.models import Case, Count, IntegerField, OuterRef, Q, QuerySet, Subquery, Value, When

from linkhome.capture.models import Snapshot, SnapshotStatus
from linkhome.links.models import Link, Visibility

DEFAULT_LIMIT = 8
SHOWN_STATUSES = (SnapshotStatus.SUCCEEDED, SnapshotStatus.PARTIAL)


def related_snapshots(
    viewer: AbstractBaseUser | None, snapshot: Snapshot, limit: int = DEFAULT_LIMIT
) -> list[Snapshot]:
    """Newest finished snapshot of each related public link, best first.

    `viewer` is part of the contract so the search-based engine can widen it to the viewer's
    own private links; today only public links are ever recommended."""
    link = snapshot.link
    names = [tag.name for tag in link.tags.all()]
    ranked = _ranked_links(link, names)[:limit]
    newest = {row["pk"]: row["newest"] for row in ranked}
    snapshots = Snapshot.objects.filter(pk__in=[pk for pk in newest.values() if pk])
    by_id = {s.pk: s for s in snapshots.select_related("link__owner__profile")}
    return [by_id[pk] for pk in newest.values() if pk in by_id]


def _ranked_links(link: Link, names: list[str]) -> QuerySet:
    tagged = Link.tags.through.objects.filter(tag__name__in=names).values("link_id")
    near = Q(pk__in=tagged) | (Q(host=link.host) if link.host else Q(pk__in=[]))
    return (
        Link.objects.filter(near, visibility=Visibility.PUBLIC)
        .exclude(normalized_url=link.normalized_url)
        .annotate(
            shared=Count("tags", filter=Q(tags__name__in=names), distinct=True),
            same_site=_same_site(link.host),
            newest=Subquery(_newest_finished().values("pk")[:1]),
        )
        .filter(newest__isnull=False)
        .order_by("-shared", "-same_site", "-created_at")
        .values("pk", "newest")
    )


def _same_site(host: str) -> Case:
    matches = When(host=host, then=Value(1)) if host else When(pk__in=[], then=Value(1))
    return Case(matches, default=Value(0), output_field=IntegerField())


def _newest_finished() -> QuerySet[Snapshot]:
    return Snapshot.objects.filter(link=OuterRef("pk"), status__in=SHOWN_STATUSES).order_by(
        "-created_at", "-pk"
    )


__all__ = ["related_snapshots"]
