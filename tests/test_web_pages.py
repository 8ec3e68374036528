"""Web views with the cast: owner, another user, anonymous. Private means 404 for others."""

import pytest
from django.test import Client

from linkhome.links.services import add_link
from linkhome.testing import factories
from linkhome.testing.factories import client_for, kept

pytestmark = pytest.mark.django_db(transaction=True)
PAGE = b"<html><head><title>Kept page</title></head><body><p>the text</p><script>alert(1)</script></body></html>"


def captured(http_server, owner, visibility: str = "public"):
    http_server.route("/page", body=PAGE, headers=[("Content-Type", "text/html; charset=utf-8")])
    return factories.captured(owner, http_server.url("/page"), visibility=visibility)


def test_the_feed_and_snapshot_page_show_a_public_snapshot(http_server, owner, anonymous):
    snapshot = captured(http_server, owner)
    feed = client_for().get("/")
    assert feed.status_code == 200 and "Kept page" in feed.content.decode()
    page = client_for().get(f"/s/{snapshot.pk}/")
    assert page.status_code == 200 and "the text" in page.content.decode()
    assert "alert(1)" not in page.content.decode()  # readable HTML is sanitized


@pytest.mark.parametrize("viewer", ["other", "anonymous"])
def test_a_private_snapshot_is_404_everywhere_for_others(http_server, owner, other_user, viewer):
    snapshot = captured(http_server, owner, visibility="private")
    client = client_for(other_user if viewer == "other" else None)
    assert "Kept page" not in client.get("/").content.decode()
    assert client.get(f"/s/{snapshot.pk}/").status_code == 404
    for kind in ("raw_html", "html", "single_file", "warc", "readable"):
        assert client.get(f"/s/{snapshot.pk}/a/{kind}/").status_code == 404
    owners = client_for(owner)
    assert owners.get(f"/s/{snapshot.pk}/").status_code == 200
    assert "Kept page" in owners.get("/").content.decode()


@pytest.mark.parametrize("kind", ["raw_html", "html", "single_file", "readable"])
def test_archived_html_is_served_sandboxed_without_scripts_allowed(http_server, owner, kind):
    snapshot = captured(http_server, owner)
    response = client_for().get(f"/s/{snapshot.pk}/a/{kind}/")
    policy = response["Content-Security-Policy"]
    assert response.status_code == 200
    assert policy.split(";")[0].strip() == "sandbox"  # no allow-scripts, no allow-same-origin
    assert "allow-" not in policy
    assert response["X-Content-Type-Options"] == "nosniff"


def test_adding_needs_a_signed_in_person_and_csrf(owner):
    assert (
        client_for().post("/add/", {"url": "https://example.com/"}).status_code == 302
    )  # to login
    strict = Client(enforce_csrf_checks=True)
    strict.force_login(owner)
    assert strict.post("/add/", {"url": "https://example.com/"}).status_code == 403


def test_the_add_form_saves_and_redirects_to_the_snapshot(owner):
    response = client_for(owner).post(
        "/add/", {"url": "https://example.com/x", "tags": "新闻，科技"}
    )
    assert response.status_code == 302 and response["Location"].startswith("/s/")


def test_a_bad_url_in_the_form_says_why(owner):
    response = client_for(owner).post("/add/", {"url": "javascript:alert(1)"}, follow=True)
    assert "只能保存 http 和 https 地址" in response.content.decode()  # Chinese by default
    response = client_for(owner).post(
        "/add/", {"url": "javascript:alert(1)"}, follow=True, HTTP_ACCEPT_LANGUAGE="en"
    )
    assert "only http and https" in response.content.decode()


def test_the_status_page_shows_the_queue(owner):
    add_link(owner, "https://example.com/q")
    page = client_for().get("/status/").content.decode()
    assert "1 个快照排队中" in page and "没有运行中的抓取进程" in page
    english = client_for().get("/status/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "1 snapshot queued" in english


def test_the_feed_shows_the_keepers_nickname_and_a_relative_time(owner):
    from linkhome.accounts.services import nickname_of

    kept(owner, "https://example.com/feed", "text", title="Feed row")  # the feed: finished only
    page = client_for().get("/").content.decode()
    assert nickname_of(owner) in page and "刚刚" in page


def test_more_rows_never_mean_more_queries_on_the_feed(
    owner, other_user, django_assert_max_num_queries
):
    for n in range(3):
        kept(owner, f"https://example.com/a{n}", "text", title=f"A {n}")
    client = client_for()
    client.get("/")  # warm up (sessions, content types)
    with django_assert_max_num_queries(6) as few:
        client.get("/")
    for n in range(20):
        kept(other_user, f"https://example.com/b{n}", "text", title=f"B {n}")
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get("/")


def test_relative_times_follow_the_browsers_language(owner):
    kept(owner, "https://example.com/en", "text", title="English")
    assert "just now" in client_for().get("/", HTTP_ACCEPT_LANGUAGE="en").content.decode()


def test_a_tag_page_gathers_public_links_by_name_and_hides_private_ones(owner, other_user):
    add_link(owner, "https://example.com/mine", tags=["新闻"], title="")
    add_link(other_user, "https://example.com/theirs", tags=["新闻"])
    add_link(other_user, "https://example.com/secret", tags=["新闻"], visibility="private")
    page = client_for().get("/tags/新闻/").content.decode()
    assert page.count('href="/s/') == 2 and "secret" not in page
    assert "secret" in client_for(other_user).get("/tags/新闻/").content.decode()


def test_the_tag_cloud_renames_merges_and_deletes(owner):
    add_link(owner, "https://example.com/a", tags=["py", "python", "old"])
    client = client_for(owner)
    assert 'class="tag" href="/tags/py/">py<' in client.get("/tags/").content.decode()
    client.post("/tags/py/edit/", {"action": "merge-confirmed", "other": "python"})
    client.post("/tags/old/edit/", {"action": "delete-confirmed"})
    client.post("/tags/python/edit/", {"action": "rename", "other": "Python"})
    cloud = client.get("/tags/").content.decode()
    assert ">Python<" in cloud and ">py<" not in cloud and ">old<" not in cloud


def test_a_tag_page_costs_the_same_queries_for_more_rows(
    owner, other_user, django_assert_max_num_queries
):
    for n in range(3):
        add_link(owner, f"https://example.com/a{n}", tags=["t"])
    client = client_for()
    client.get("/tags/t/")
    with django_assert_max_num_queries(6) as few:
        client.get("/tags/t/")
    for n in range(20):
        add_link(other_user, f"https://example.com/b{n}", tags=["t"])
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get("/tags/t/")


def test_the_owner_edits_a_link_and_others_get_404(owner, other_user):
    added = add_link(owner, "https://example.com/e", tags=["old"])
    page = f"/links/{added.link.pk}/edit/"
    assert client_for(other_user).get(page).status_code == 404
    assert client_for(other_user).post(f"/links/{added.link.pk}/recapture/").status_code == 404
    response = client_for(owner).post(
        page, {"title": "我的标题", "note": "n", "tags": "新闻，科技", "visibility": "private"}
    )
    assert response.status_code == 302
    added.link.refresh_from_db()
    assert (added.link.title, added.link.visibility) == ("我的标题", "private")
    assert {t.name for t in added.link.tags.all()} == {"新闻", "科技"}
    assert client_for(other_user).get(f"/s/{added.snapshot.pk}/").status_code == 404


def test_the_owner_can_capture_again(owner):
    added = add_link(owner, "https://example.com/r")
    response = client_for(owner).post(f"/links/{added.link.pk}/recapture/")
    assert response.status_code == 302 and response["Location"] != f"/s/{added.snapshot.pk}/"
    assert added.link.snapshots.count() == 2


def test_the_add_form_is_rate_limited_per_person(owner, other_user, settings):
    settings.ADD_LIMIT_PER_MINUTE = 1
    client = client_for(owner)
    client.post("/add/", {"url": "https://example.com/1"})
    refused = client.post("/add/", {"url": "https://example.com/2"})
    assert refused.status_code == 429 and refused["Retry-After"] == "60"
    assert "过去一分钟内添加了 1 个链接" in refused.content.decode()
    assert client_for(other_user).post("/add/", {"url": "https://example.com/3"}).status_code == 302
