"""Pages of a list without counting it: a COUNT over a large feed costs more than the page."""

from dataclasses import dataclass

from django.db.models import QuerySet

MAX_PAGE = 10_000  # deeper offsets are slow and nobody clicks that far


@dataclass
class Page:
    items: list
    number: int
    has_next: bool

    def __iter__(self):  # noqa: ANN204 - templates loop over the page itself
        return iter(self.items)

    def __len__(self) -> int:
        return len(self.items)

    @property
    def has_previous(self) -> bool:
        return self.number > 1

    @property
    def has_other_pages(self) -> bool:
        return self.has_previous or self.has_next

    @property
    def next_page_number(self) -> int:
        return self.number + 1

    @property
    def previous_page_number(self) -> int:
        return self.number - 1


def page_of(queryset: QuerySet, number: str | None, size: int) -> Page:
    """Page `number` (1-based, from the query string; junk means 1) of `size` items: one
    query for size + 1 rows tells whether there is a next page."""
    page = page_number(number)
    start = (page - 1) * size
    rows = list(queryset[start : start + size + 1])
    return Page(items=rows[:size], number=page, has_next=len(rows) > size)


def page_number(text: str | None) -> int:
    try:
        return min(max(int(text or 1), 1), MAX_PAGE)
    except ValueError:
        return 1
