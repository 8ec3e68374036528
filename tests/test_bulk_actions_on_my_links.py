"""Bulk actions on ticked links (the list's form, the API, links.bulk): mark, make public or
private, tag, delete after a confirmation. Only the person's own links are ever touched:
ids of other people's links are ignored and counted, never changed."""

import json

import pytest
from django.test import Client

from linkhome.accounts.services import create_token
from linkhome.links import bulk
from linkhome.links.models import Link
from linkhome.links.services import add_link, link_tag_names
from linkhome.testing.factories import client_for

pytestmark = pytest.mark.django_db


@pytest.fixture
def links(owner, other_user):
    mine = [add_link(owner, f"https://example.com/m{n}", title=f"mine-{n}").link for n in range(3)]
    theirs = add_link(other_user, "https://example.com/t", title="theirs").link
    return mine, theirs


def fresh(link: Link) -> Link:
    return Link.objects.get(pk=link.pk)


def test_each_service_acts_on_my_links_and_ignores_others(owner, links):
    mine, theirs = links
    ids = [mine[0].pk, mine[1].pk, theirs.pk, 10**12]
    result = bulk.mark(owner, ids, starred=True, read=True)
    assert (result.changed, result.found, result.ignored) == (2, 2, 2)
    assert [fresh(link).starred for link in mine] == [True, True, False]
    assert not fresh(theirs).starred and not fresh(theirs).read
    assert bulk.mark(owner, ids, starred=True).changed == 0  # already so
    result = bulk.set_visibility(owner, ids, "private")
    assert (result.changed, result.ignored) == (2, 2)
    assert fresh(theirs).visibility == "public"
    result = bulk.add_tags(owner, ids, ["批量", "周末"])
    assert result.changed == 2 and link_tag_names(fresh(theirs)) == []
    assert sorted(link_tag_names(fresh(mine[0]))) == ["周末", "批量"]
    assert bulk.remove_tags(owner, ids, ["周末"]).changed == 2
    result = bulk.delete(owner, ids)
    assert (result.changed, result.ignored) == (2, 2)
    assert Link.objects.filter(pk=theirs.pk).exists()
    assert list(Link.objects.filter(owner=owner)) == [mine[2]]


def test_the_list_form_marks_and_changes_visibility(owner, links):
    mine, theirs = links
    client = client_for(owner)
    ticked = [mine[0].pk, theirs.pk]
    for action in ("read", "star", "archive", "private"):
        response = client.post("/links/bulk/", {"link": ticked, "action": action, "next": "/"})
        assert response.status_code == 302
    first = fresh(mine[0])
    assert (first.read, first.starred, first.archived, first.visibility) == (
        True,
        True,
        True,
        "private",
    )
    untouched = fresh(theirs)
    assert (untouched.read, untouched.starred, untouched.archived) == (False, False, False)
    assert untouched.visibility == "public"
    client.post("/links/bulk/", {"link": ticked, "action": "unarchive"})
    client.post("/links/bulk/", {"link": ticked, "action": "public"})
    assert (fresh(mine[0]).archived, fresh(mine[0]).visibility) == (False, "public")


def test_deleting_asks_first_and_lists_only_my_links(owner, links):
    mine, theirs = links
    client = client_for(owner)
    ticked = [mine[0].pk, mine[1].pk, theirs.pk]
    ask = client.post("/links/bulk/", {"link": ticked, "action": "delete", "next": "/?page=1"})
    page = ask.content.decode()
    assert ask.status_code == 200 and 'id="bulk-delete"' in page
    assert "mine-0" in page and "mine-1" in page and "theirs" not in page
    assert 'value="delete-confirmed"' in page and Link.objects.count() == 4  # nothing yet
    done = client.post(
        "/links/bulk/", {"link": ticked, "action": "delete-confirmed", "next": "/?page=1"}
    )
    assert done.status_code == 302 and done["Location"] == "/?page=1"
    assert set(Link.objects.values_list("pk", flat=True)) == {mine[2].pk, theirs.pk}


def test_nothing_ticked_or_an_unknown_action_changes_nothing(owner, links):
    mine, _ = links
    client = client_for(owner)
    assert client.post("/links/bulk/", {"action": "delete-confirmed"}).status_code == 302
    client.post("/links/bulk/", {"link": [mine[0].pk], "action": "explode"})
    assert Link.objects.count() == 4 and not fresh(mine[0]).starred
    other = client_for(None).post("/links/bulk/", {"link": [mine[0].pk], "action": "star"})
    assert other.status_code == 302 and "/accounts/login/" in other["Location"]
    assert not fresh(mine[0]).starred


def test_select_all_on_the_page_ticks_every_box(owner, links):
    client = client_for(owner)
    plain = client.get("/").content.decode()
    ticked = client.get("/?select=all").content.decode()
    assert "data-select-all" in plain and "web/lists.js" in plain
    assert plain.count('form="bulk-tags" aria-label') == 3
    assert ticked.count('form="bulk-tags" aria-label="选择" checked') == 3
    # The actions come back to the list without ticking every box again.
    assert '<input type="hidden" name="next" value="/">' in ticked


def test_the_api_does_the_same_and_ignores_others_ids(owner, links):
    mine, theirs = links
    client = Client(HTTP_AUTHORIZATION=f"Bearer {create_token(owner).key}")

    def act(**body) -> dict:
        response = client.post("/api/links/bulk", json.dumps(body), content_type="application/json")
        assert response.status_code == 200, response.content
        return response.json()

    ids = [mine[0].pk, theirs.pk]
    assert act(ids=ids, action="star") == {
        "action": "star",
        "changed": 1,
        "found": 1,
        "ignored": 1,
        "busy": [],
    }
    assert act(ids=ids, action="tag", tags=["接口"])["changed"] == 1
    assert link_tag_names(fresh(theirs)) == [] and not fresh(theirs).starred
    missing = client.post(
        "/api/links/bulk",
        json.dumps({"ids": ids, "action": "tag"}),
        content_type="application/json",
    )
    assert missing.status_code == 400
    assert act(ids=ids, action="delete")["changed"] == 1
    assert Link.objects.filter(pk=theirs.pk).exists()
    assert not Link.objects.filter(pk=mine[0].pk).exists()
