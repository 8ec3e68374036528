"""The filters of a person's link list, read from the query string."""

from dataclasses import dataclass

from django.http import QueryDict

from linkhome.archive.models import SnapshotStatus
from linkhome.links.models import Health, Visibility
from linkhome.links.queries import SHELVES
from linkhome.links.services import MAX_TAG_LENGTH, clean_tag_names

# links.queries.owned_links joins the tag tables once per tag, and SQLite stops at 64
# tables in a join: a longer list (only a hand-made address has one) is cut here.
MAX_FILTER_TAGS = 20


def split_tags(text: str) -> list[str]:
    """Tags typed as one field: commas, Chinese commas or both."""
    return [t for t in text.replace("，", ",").split(",") if t.strip()]


@dataclass(frozen=True)
class LinkFilters:
    tags: list[str]
    status: str = ""
    visibility: str = ""
    health: str = ""
    # 未读 / 星标 / 归档 / all (links.queries.shelf_q); "" is the default list, without
    # archived links.
    shelf: str = ""

    @property
    def any(self) -> bool:
        return bool(self.tags or self.status or self.visibility or self.health or self.shelf)

    @classmethod
    def from_query(cls, query: QueryDict) -> "LinkFilters":
        """`?tag=a&tag=b` (links to a tag) and `?tags=a, b` (the filter box) both work;
        unknown statuses or visibilities are ignored rather than failing the page."""
        names = query.getlist("tag") + split_tags(query.get("tags", ""))
        names = [name for name in names if len(name.strip()) <= MAX_TAG_LENGTH]
        status = query.get("status", "")
        visibility = query.get("visibility", "")
        health = query.get("health", "")
        shelf = query.get("shelf", "")
        return cls(
            tags=clean_tag_names(names)[:MAX_FILTER_TAGS],
            status=status if status in SnapshotStatus.values else "",
            visibility=visibility if visibility in Visibility.values else "",
            health=health if health in Health.values else "",
            shelf=shelf if shelf in SHELVES else "",
        )
