"""The list with the marks filters (未读 / 星标 / 归档) and each row's marks box costs the
same number of queries for 6 links as for 31: no query per row."""

import pytest

from linkhome.links import bulk
from linkhome.links.services import add_link
from linkhome.testing.factories import client_for

pytestmark = pytest.mark.django_db

QUERIES = ["", "?shelf=unread", "?shelf=starred", "?shelf=archived&tag=t", "?shelf=all&health=ok"]


def add_many(owner, start: int, count: int) -> None:
    ids = [
        add_link(owner, f"https://example.com/{n}", tags=["t", f"own{n}"]).link.pk
        for n in range(start, start + count)
    ]
    bulk.mark(owner, ids[::2], starred=True, read=True)
    bulk.mark(owner, ids[1::3], archived=True, starred=True)


@pytest.mark.parametrize("query", QUERIES)
def test_more_links_never_mean_more_queries(owner, query, django_assert_max_num_queries):
    add_many(owner, 0, 6)  # every filter shows some rows (an empty page skips the tags query)
    client = client_for(owner)
    client.get("/")
    with django_assert_max_num_queries(20) as few:
        page = client.get("/" + query)
    assert page.status_code == 200
    add_many(owner, 6, 25)
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get("/" + query)


def test_ticking_marks_in_bulk_costs_the_same_for_more_links(owner, django_assert_max_num_queries):
    add_many(owner, 0, 30)
    ids = list(owner.links.values_list("pk", flat=True))
    with django_assert_max_num_queries(4) as few:
        bulk.mark(owner, ids[:3], read=True)
    with django_assert_max_num_queries(len(few.captured_queries)):
        bulk.mark(owner, ids, read=False)
