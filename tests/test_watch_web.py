"""Schedules and health on the web: the link's edit page and the tag page set schedules,
lists show a badge (在线 / 已变更 / 已失效 / 已跳转) and filter by it, and the snapshot page of
a dead link says so with the real dates."""

from datetime import datetime, timedelta

import pytest
from django.utils import timezone

from linkhome.archive.models import Snapshot
from linkhome.links.models import Link, Tag
from linkhome.links.services import recapture
from linkhome.testing.factories import client_for, finished, kept

pytestmark = pytest.mark.django_db

ARTICLE = "今天上午，市政府召开新闻发布会，介绍了今年城市更新的最新进展。" * 5


def test_the_edit_page_sets_the_links_schedule(owner):
    link = kept(owner, "https://example.com/e", ARTICLE, title="城市更新").link
    client = client_for(owner)
    page = client.get(f"/links/{link.pk}/edit/")
    assert "每日" in page.content.decode()
    answer = client.post(
        f"/links/{link.pk}/edit/",
        {"title": "", "note": "", "tags": "", "visibility": "public", "watch_every": "daily"},
    )
    assert answer.status_code == 302
    link.refresh_from_db()
    assert link.watch_every == "daily"
    assert link.next_check_at < timezone.now() + timedelta(days=2)


def test_the_tag_page_sets_the_tags_schedule_for_its_owner_only(owner, other_user):
    kept(owner, "https://example.com/t", ARTICLE, title="城市更新", tags=["新闻"])
    client = client_for(owner)
    assert 'id="tag-watch"' in client.get("/tags/新闻/").content.decode()
    client.post("/tags/新闻/edit/", {"action": "watch", "watch_every": "weekly"})
    assert Tag.objects.get(owner=owner, name="新闻").watch_every == "weekly"
    other = client_for(other_user)
    assert 'id="tag-watch"' not in other.get("/tags/新闻/").content.decode()
    assert (
        other.post("/tags/新闻/edit/", {"action": "watch", "watch_every": "never"}).status_code
        == 404
    )
    assert Tag.objects.get(owner=owner, name="新闻").watch_every == "weekly"


def gone_link(owner, url: str, captured: datetime) -> Snapshot:
    first = kept(owner, url, ARTICLE, title="城市更新", captured=captured)
    link = Link.objects.get(pk=first.link_id)
    snapshot = recapture(link)
    snapshot.http_status, snapshot.title, snapshot.text = 200, "页面不存在", "该内容已被发布者删除"
    finished(snapshot, "succeeded")
    return first


def test_lists_show_the_badge_and_filter_by_it(owner):
    kept(owner, "https://example.com/ok", ARTICLE, title="好的")
    gone_link(owner, "https://example.com/dead", timezone.now() - timedelta(days=3))
    client = client_for(owner)
    html = client.get("/").content.decode()
    assert "在线" in html and "已失效" in html
    page = client.get("/?health=gone").content.decode()
    only_gone = page.split('id="my-links"')[1].split("</ul>")[0]
    assert only_gone.count('<li class="link">') == 1 and "已失效" in only_gone
    assert "好的" not in only_gone
    assert "已失效" in client_for(None).get("/").content.decode()  # the public feed too


def test_the_snapshot_page_of_a_dead_link_says_it_with_the_dates(owner):
    captured = datetime(2023, 1, 16, 10, 0, tzinfo=timezone.get_current_timezone())
    first = gone_link(owner, "https://example.com/gone", captured)
    link = Link.objects.get(pk=first.link_id)
    checked = timezone.localtime(link.health_checked_at).strftime("%Y-%m-%d")
    html = client_for(None).get(f"/s/{first.pk}/").content.decode()
    assert f"原网页已失效（{checked} 检查），以下是 2023-01-16 的快照" in html
    dead = link.snapshots.order_by("-created_at").first()
    html = client_for(None).get(f"/s/{dead.pk}/").content.decode()
    assert f"原网页已失效（{checked} 检查）" in html and f"/s/{first.pk}/" in html
    # A link still alive says nothing of the kind.
    alive = kept(owner, "https://example.com/alive", ARTICLE, title="活着")
    assert "原网页已失效" not in client_for(None).get(f"/s/{alive.pk}/").content.decode()
