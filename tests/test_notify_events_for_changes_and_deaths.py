"""A watched page that changed, died or moved gives its owner one notification per check;
a first capture and an unchanged page give none. Real pages from a local server on
127.0.0.1, checked by the worker's own sequence (capture → what changed → notification)."""

from datetime import timedelta

import pytest

from linkhome.notify import events, preferences
from linkhome.notify.models import Notification
from linkhome.worker import schedule
from tests.notify_support import EDITED, HTML, check_again, page, watched

pytestmark = pytest.mark.django_db


def test_a_first_capture_and_an_unchanged_page_notify_nothing(http_server, owner):
    link = watched(http_server, owner)
    assert Notification.objects.count() == 0  # the first capture: nothing to compare with
    again = check_again(link)
    again.refresh_from_db()
    assert again.change == "unchanged"
    assert Notification.objects.count() == 0


def test_a_changed_page_notifies_once(http_server, owner):
    link = watched(http_server, owner)
    http_server.route("/news/1", body=page("城市更新", *EDITED), headers=HTML)
    again = check_again(link)
    event = Notification.objects.get()
    assert (event.kind, event.snapshot_id, event.owner_id) == ("changed", again.pk, owner.pk)
    assert event.compared_with_id is not None and 0 < event.change_ratio < 1
    assert event.change_added == 2 and event.change_removed == 2
    check_again(link)  # the same text again: unchanged, no second event
    assert Notification.objects.count() == 1


def test_a_404_notifies_gone_once_while_it_stays_dead(http_server, owner):
    link = watched(http_server, owner)
    http_server.route("/news/1", body=b"not here", status=404, headers=HTML)
    dead = check_again(link)
    assert dead.status == "failed"
    event = Notification.objects.get()
    assert (event.kind, event.http_status, event.snapshot_id) == ("gone", 404, dead.pk)
    check_again(link)  # still dead: already told
    assert Notification.objects.count() == 1


def test_a_soft_404_notifies_gone(http_server, owner):
    link = watched(http_server, owner)
    http_server.route(
        "/news/1", body=page("页面不存在", "该内容已被发布者删除", "返回首页"), headers=HTML
    )
    check_again(link)
    event = Notification.objects.get()
    assert (event.kind, event.http_status) == ("gone", 200)
    assert "gone" in event.detail
    assert event.title == "城市更新"  # what the person kept, not "页面不存在"


def test_a_move_to_the_home_page_notifies_moved(http_server, owner):
    http_server.route("/", body=page("首页", "欢迎来到示例网。"), headers=HTML)
    link = watched(http_server, owner)
    http_server.redirect("/news/1", to="/")
    check_again(link)
    assert Notification.objects.get().kind == "moved"


def test_links_that_do_not_notify_record_nothing(http_server, owner):
    link = watched(http_server, owner)
    preferences.set_link_notify(link, None)  # no choice of its own, no tag: not told
    http_server.route("/news/1", body=b"gone", status=410, headers=HTML)
    again = check_again(link)
    again.refresh_from_db()
    assert again.change == "gone"  # the check found it; only the notification is opt-in
    assert Notification.objects.count() == 0


def test_a_check_left_without_its_notification_gets_it_from_the_worker_job(http_server, owner):
    """A worker killed between the check and its notification: the notify-deliveries job
    finds the check and records it, once; checks of links that do not notify are left."""
    link = watched(http_server, owner)
    quiet = watched(http_server, owner, "/quiet", title="旧城改造")
    preferences.set_link_notify(quiet, False)
    http_server.route("/news/1", body=page("城市更新", *EDITED), headers=HTML)
    http_server.route("/quiet", body=b"gone", status=404, headers=HTML)
    missed = check_again(link)
    check_again(quiet)
    Notification.objects.all().delete()  # as if the step never ran

    assert "notify-deliveries" in schedule.run_due("worker-1")
    assert list(Notification.objects.values_list("snapshot_id", "kind")) == [(missed.pk, "changed")]
    assert events.catch_up(missed.finished_at - timedelta(minutes=1)) == 0  # not twice
