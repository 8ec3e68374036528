"""The personal default schedule on the account page (issue 15): chosen among never, daily,
weekly, monthly and the instance's, through links.watching as the CLI and the API set it;
a person sets and sees only their own default."""

from datetime import timedelta

import pytest
from django.test import override_settings
from django.utils import timezone

from linkhome.links import watching
from linkhome.testing.factories import client_for, kept

pytestmark = pytest.mark.django_db

ARTICLE = "今天上午，市政府召开新闻发布会，介绍了今年城市更新的最新进展。" * 5


def chosen(html: str) -> str:
    start = html.index('id="watch-default-every"')
    section = html[start : html.index("</select>", start)]
    return section.split(" selected>")[0].rsplit('value="', 1)[1].split('"')[0]


@override_settings(WATCH_DEFAULT="monthly")
def test_the_account_page_sets_my_default_and_my_links_follow_it(owner):
    link = kept(owner, "https://example.com/d", ARTICLE, title="城市更新").link
    client = client_for(owner)
    page = client.get("/accounts/", HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    assert "按本站的设置（每月）" in page and chosen(page) == ""

    answer = client.post("/accounts/watch-default/", {"watch_default": "daily"})
    assert answer.status_code == 302 and answer["Location"] == "/accounts/#watch-default"
    assert watching.own_default(owner.pk) == "daily"
    link.refresh_from_db()
    assert link.next_check_at < timezone.now() + timedelta(days=2)  # rescheduled by it
    page = client.get("/accounts/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert chosen(page) == "daily" and "Check my pages again" in page

    client.post("/accounts/watch-default/", {"watch_default": ""})
    assert watching.own_default(owner.pk) == "" and watching.default_every(owner.pk) == "monthly"


def test_a_schedule_that_is_not_one_is_refused_and_nothing_changes(owner):
    client = client_for(owner)
    client.post("/accounts/watch-default/", {"watch_default": "weekly"})
    answer = client.post(
        "/accounts/watch-default/", {"watch_default": "hourly"}, HTTP_ACCEPT_LANGUAGE="en"
    )
    assert answer.status_code == 302
    page = client.get("/accounts/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "the schedule must be one of" in page
    assert watching.own_default(owner.pk) == "weekly"


def test_only_my_own_default_is_set_and_shown(owner, other_user):
    client_for(other_user).post("/accounts/watch-default/", {"watch_default": "weekly"})
    # The form names no person: whatever else is posted, the signed-in person's is set.
    client_for(owner).post(
        "/accounts/watch-default/",
        {"watch_default": "never", "owner": other_user.pk, "user": other_user.pk},
    )
    assert watching.own_default(owner.pk) == "never"
    assert watching.own_default(other_user.pk) == "weekly"
    assert chosen(client_for(owner).get("/accounts/").content.decode()) == "never"
    assert chosen(client_for(other_user).get("/accounts/").content.decode()) == "weekly"
    anonymous = client_for(None).post("/accounts/watch-default/", {"watch_default": "daily"})
    assert anonymous.status_code == 302 and "/accounts/login/" in anonymous["Location"]
    assert client_for(owner).get("/accounts/watch-default/").status_code == 405
    assert watching.own_default(owner.pk) == "never"
