"""The snapshot page: live status, plain-words failures, tags edited in place, versions."""

import pytest

from linkhome.links.services import add_link, recapture
from linkhome.testing.factories import client_for, finished

pytestmark = pytest.mark.django_db


def test_a_queued_snapshot_polls_its_status_and_stops_when_done(owner):
    added = add_link(owner, "https://example.com/live")
    page = client_for(owner).get(f"/s/{added.snapshot.pk}/").content.decode()
    assert 'data-status="queued"' in page and 'hx-trigger="every 2s"' in page
    poll = f"/s/{added.snapshot.pk}/status/"
    still = client_for(owner).get(poll, HTTP_HX_REQUEST="true")
    assert "HX-Refresh" not in still and 'data-status="queued"' in still.content.decode()
    finished(added.snapshot, "succeeded")
    done = client_for(owner).get(poll, HTTP_HX_REQUEST="true")
    assert done["HX-Refresh"] == "true"  # reload once to show the content
    assert "hx-trigger" not in done.content.decode()


def test_a_failure_is_told_in_plain_words_with_a_retry_for_the_owner(owner, other_user):
    added = add_link(owner, "https://example.com/gone")
    snapshot = added.snapshot
    snapshot.http_status = 404
    finished(snapshot, "failed", "the server answered 404 Not Found")
    page = client_for(owner).get(f"/s/{snapshot.pk}/").content.decode()
    assert "网站上不存在这个网页（HTTP 404）" in page and 'id="retry"' in page
    english = client_for(owner).get(f"/s/{snapshot.pk}/", HTTP_ACCEPT_LANGUAGE="en")
    assert "The page does not exist on its site (HTTP 404)" in english.content.decode()
    assert 'id="retry"' not in client_for(other_user).get(f"/s/{snapshot.pk}/").content.decode()


def test_the_status_of_a_private_snapshot_is_404_for_others(owner, other_user):
    added = add_link(owner, "https://example.com/p", visibility="private")
    poll = f"/s/{added.snapshot.pk}/status/"
    assert client_for(other_user).get(poll).status_code == 404
    assert client_for().get(poll).status_code == 404


def test_the_owner_edits_tags_in_place(owner):
    added = add_link(owner, "https://example.com/t", tags=["旧"])
    url = f"/links/{added.link.pk}/tags/"
    swapped = client_for(owner).post(url, {"tags": "新闻, 科技"}, HTTP_HX_REQUEST="true")
    html = swapped.content.decode()
    assert html.startswith('<div id="link-tags-box"') and ">新闻<" in html and ">旧<" not in html
    plain = client_for(owner).post(url, {"tags": "一"})
    assert plain.status_code == 302 and plain["Location"] == f"/s/{added.snapshot.pk}/"


def test_others_cannot_edit_tags(owner, other_user):
    added = add_link(owner, "https://example.com/t", tags=["旧"])
    url = f"/links/{added.link.pk}/tags/"
    assert client_for(other_user).post(url, {"tags": "x"}).status_code == 404
    assert client_for().post(url, {"tags": "x"}).status_code == 302  # to sign in
    assert {t.name for t in added.link.tags.all()} == {"旧"}
    page = client_for(other_user).get(f"/s/{added.snapshot.pk}/").content.decode()
    assert 'id="tag-edit"' not in page


def test_the_page_lists_the_other_versions_of_the_link(owner):
    added = add_link(owner, "https://example.com/v")
    again = recapture(added.link)
    page = client_for(owner).get(f"/s/{again.pk}/").content.decode()
    assert 'id="versions"' in page and f'href="/s/{added.snapshot.pk}/"' in page


def test_a_snapshot_page_costs_the_same_queries_with_more_related_rows(
    owner, other_user, django_assert_max_num_queries
):
    added = add_link(owner, "https://example.com/x", tags=["t"])
    first = add_link(other_user, "https://example.com/first", tags=["t"])
    finished(first.snapshot, "succeeded")
    client = client_for(owner)
    client.get(f"/s/{added.snapshot.pk}/")
    with django_assert_max_num_queries(30) as few:
        client.get(f"/s/{added.snapshot.pk}/")
    for n in range(15):
        other = add_link(other_user, f"https://example.com/o{n}", tags=["t"])
        finished(other.snapshot, "succeeded")
        recapture(added.link)
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(f"/s/{added.snapshot.pk}/")


def test_the_owner_gets_tag_suggestions_and_one_click_adds_one(owner, other_user):
    added = add_link(owner, "https://example.com/ai", tags=["科技"])
    snapshot = added.snapshot
    snapshot.title = "人工智能模型发布"
    snapshot.text = "人工智能研究团队发布了新的人工智能模型。" * 5
    finished(snapshot, "succeeded")
    page = client_for(owner).get(f"/s/{snapshot.pk}/").content.decode()
    assert 'id="tag-suggestions"' in page
    box = page.split('id="tag-suggestions"', 1)[1].split("</form>", 1)[0]
    first = box.split('name="add" value="', 1)[1].split('"', 1)[0]
    url = f"/links/{added.link.pk}/tags/"
    client_for(owner).post(url, {"add": first}, HTTP_HX_REQUEST="true")
    assert {t.name for t in added.link.tags.all()} == {"科技", first}
    others = client_for(other_user).get(f"/s/{snapshot.pk}/").content.decode()
    assert 'id="tag-suggestions"' not in others
