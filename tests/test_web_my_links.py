"""A person's own links on the home page: filters, pagination, bulk tagging."""

import pytest

from linkhome.links.services import add_link
from linkhome.testing.factories import client_for, finished

pytestmark = pytest.mark.django_db


def listed(client, query: str = "") -> str:
    html = client.get(f"/{query}").content.decode()
    return html.split('id="my-links"', 1)[1].split("</ul>", 1)[0]


def test_filtering_by_two_tags_needs_both(owner):
    add_link(owner, "https://example.com/both", tags=["新闻", "科技"], title="both")
    add_link(owner, "https://example.com/one", tags=["新闻"], title="only-news")
    client = client_for(owner)
    both = listed(client, "?tag=新闻&tag=科技")
    assert "both" in both and "only-news" not in both
    typed = listed(client, "?tags=新闻，科技")  # the filter box, with a Chinese comma
    assert "both" in typed and "only-news" not in typed
    assert "only-news" in listed(client, "?tag=新闻")


def test_filtering_by_status_uses_the_newest_snapshot(owner):
    failed = add_link(owner, "https://example.com/f", title="broken")
    finished(failed.snapshot, "failed", "the server answered 404")
    add_link(owner, "https://example.com/q", title="waiting")
    client = client_for(owner)
    assert "broken" in listed(client, "?status=failed")
    assert "waiting" not in listed(client, "?status=failed")
    assert "waiting" in listed(client, "?status=queued")


def test_filtering_by_visibility(owner):
    add_link(owner, "https://example.com/p", title="secret", visibility="private")
    add_link(owner, "https://example.com/o", title="open")
    client = client_for(owner)
    private = listed(client, "?visibility=private")
    assert "secret" in private and "open" not in private


def test_unknown_filter_values_are_ignored_not_errors(owner):
    add_link(owner, "https://example.com/o", title="open")
    response = client_for(owner).get("/?status=bogus&visibility=nope&tag=" + "x" * 500)
    assert response.status_code == 200


def test_pages_keep_the_filters(owner):
    for n in range(35):
        add_link(owner, f"https://example.com/{n}", tags=["many"], title=f"item-{n}")
    client = client_for(owner)
    first = client.get("/?tag=many").content.decode()
    assert "tag=many&amp;page=2" in first or "page=2&amp;tag=many" in first
    second = listed(client, "?tag=many&page=2")
    assert second.count('class="link"') == 5


def test_others_links_never_show_in_my_list(owner, other_user):
    add_link(other_user, "https://example.com/theirs", title="theirs")
    assert "theirs" not in listed(client_for(owner))


def test_bulk_tag_and_untag_selected_links(owner):
    a = add_link(owner, "https://example.com/a", tags=["keep"]).link
    b = add_link(owner, "https://example.com/b").link
    client = client_for(owner)
    client.post("/links/bulk/", {"link": [a.pk, b.pk], "tags": "读书, 周末", "action": "tag"})
    assert {t.name for t in b.tags.all()} == {"读书", "周末"}
    client.post("/links/bulk/", {"link": [a.pk], "tags": "周末", "action": "untag"})
    assert {t.name for t in a.tags.all()} == {"keep", "读书"}


def test_bulk_tagging_skips_links_that_are_not_yours(owner, other_user):
    theirs = add_link(other_user, "https://example.com/t").link
    response = client_for(owner).post(
        "/links/bulk/", {"link": [theirs.pk], "tags": "x", "action": "tag"}, follow=True
    )
    assert response.status_code == 200
    assert not theirs.tags.exists()


def test_bulk_tagging_returns_only_to_this_site(owner):
    link = add_link(owner, "https://example.com/a").link
    response = client_for(owner).post(
        "/links/bulk/",
        {"link": [link.pk], "tags": "x", "action": "tag", "next": "https://evil.example/"},
    )
    assert response["Location"] == "/"


def test_more_links_never_mean_more_queries_on_my_list(owner, django_assert_max_num_queries):
    for n in range(3):
        add_link(owner, f"https://example.com/a{n}", tags=["t", "u"])
    client = client_for(owner)
    client.get("/")
    with django_assert_max_num_queries(20) as few:
        client.get("/?tag=t")
    for n in range(25):
        add_link(owner, f"https://example.com/b{n}", tags=["t", "u", f"own{n}"])
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get("/?tag=t")
