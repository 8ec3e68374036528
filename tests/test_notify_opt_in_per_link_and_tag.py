"""Opting in to notifications, per link and per tag, on every surface: the link's edit page,
the tag page, the API and `linkhome watch`. A link's own choice wins over its tags; a tag
opts in only its owner's links; another person's link or tag does not exist for you."""

import json

import pytest

from linkhome.accounts.services import create_token
from linkhome.cli.main import main
from linkhome.links.models import Link, Tag
from linkhome.links.services import add_link
from linkhome.notify import preferences
from linkhome.notify.models import Notification
from linkhome.testing.factories import client_for
from tests.notify_support import EDITED, HTML, check_again, page, watched

pytestmark = pytest.mark.django_db
EDIT = {"title": "", "note": "", "tags": "新闻", "visibility": "public", "watch_every": ""}


def api(user):
    return client_for(), {"HTTP_AUTHORIZATION": f"Bearer {create_token(user).key}"}


def put(client, headers, path, body):
    return client.put(path, json.dumps(body), content_type="application/json", **headers)


def test_the_link_edit_page_sets_the_links_choice(owner, other_user):
    link = add_link(owner, "https://example.com/a", tags=["新闻"]).link
    client = client_for(owner)
    assert "网页变更或失效时通知我" in client.get(f"/links/{link.pk}/edit/").content.decode()
    assert client.post(f"/links/{link.pk}/edit/", {**EDIT, "notify": "on"}).status_code == 302
    assert preferences.summary(link) == {
        "notify": True,
        "notify_effective": True,
        "notify_from": "link",
    }
    client.post(f"/links/{link.pk}/edit/", {**EDIT, "notify": "off"})
    assert preferences.link_choice(link) is False
    client.post(f"/links/{link.pk}/edit/", {**EDIT, "notify": ""})
    assert preferences.link_choice(link) is None
    # Someone else's link: 404, and nothing changes.
    other = client_for(other_user)
    assert other.get(f"/links/{link.pk}/edit/").status_code == 404
    assert other.post(f"/links/{link.pk}/edit/", {**EDIT, "notify": "on"}).status_code == 404
    assert preferences.link_choice(link) is None


def test_the_tag_page_opts_in_its_owners_links_only(owner, other_user):
    mine = add_link(owner, "https://example.com/m", tags=["新闻"]).link
    theirs = add_link(other_user, "https://example.com/t", tags=["新闻"]).link
    client = client_for(owner)
    assert 'id="tag-notify"' in client.get("/tags/新闻/").content.decode()
    client.post("/tags/新闻/edit/", {"action": "notify", "notify": "on"})
    assert preferences.summary(mine)["notify_from"] == "tag"
    assert preferences.notifies(mine) and not preferences.notifies(theirs)
    # A link's own "no" wins over its tag.
    preferences.set_link_notify(mine, False)
    assert not preferences.notifies(mine)
    preferences.set_link_notify(mine, None)
    # Unticked: off again.
    client.post("/tags/新闻/edit/", {"action": "notify"})
    assert not preferences.notifies(mine)
    # Another person acts on their own tag of that name, never on mine.
    other = client_for(other_user)
    other.post("/tags/新闻/edit/", {"action": "notify", "notify": "on"})
    assert preferences.notifies(theirs) and not preferences.notifies(mine)
    # A tag nobody has: nothing is made.
    assert client.post("/tags/旧闻/edit/", {"action": "notify", "notify": "on"}).status_code == 404
    assert not Tag.objects.filter(name="旧闻").exists()


def test_the_api_sets_and_reads_the_choice(owner, other_user):
    link = add_link(owner, "https://example.com/api", tags=["新闻"]).link
    client, headers = api(owner)
    path = f"/api/links/{link.pk}/notify"
    answer = put(client, headers, path, {"notify": True})
    assert answer.status_code == 200, answer.content
    body = {"link": link.pk, "notify": True, "notify_effective": True, "notify_from": "link"}
    assert answer.json() == body
    assert client.get(path, **headers).json() == body
    assert put(client, headers, path, {"notify": None}).json()["notify_from"] == "none"
    assert put(client, headers, "/api/tags/新闻/notify", {"notify": True}).json() == {
        "tag": "新闻",
        "notify": True,
    }
    assert client.get(path, **headers).json()["notify_from"] == "tag"
    assert put(client, headers, path, {"notify": "perhaps"}).status_code == 422

    created = client.post(
        "/api/links",
        json.dumps({"url": "https://example.com/new", "notify": True}),
        content_type="application/json",
        **headers,
    )
    assert created.status_code == 201
    assert preferences.link_choice(Link.objects.get(pk=created.json()["link"]["id"])) is True

    other, other_headers = api(other_user)
    assert other.get(path, **other_headers).status_code == 404
    assert put(other, other_headers, path, {"notify": False}).status_code == 404
    assert put(other, other_headers, "/api/tags/新闻/notify", {"notify": False}).status_code == 404
    assert preferences.notifies(link)


def test_linkhome_watch_sets_the_choice(owner, other_user, capsys):
    link = add_link(owner, "https://example.com/cli", tags=["新闻"]).link
    assert main(["watch", str(link.pk), "--notify", "--json", "--user", "owner"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert (data["notify"], data["notify_effective"], data["notify_from"]) == (True, True, "link")
    assert main(["watch", str(link.pk), "--no-notify", "--user", "owner"]) == 0
    assert "no-notify (link)" in capsys.readouterr().out
    assert main(["watch", str(link.pk), "--notify-inherit", "--user", "owner"]) == 0
    assert preferences.link_choice(link) is None
    capsys.readouterr()
    assert main(["watch", "--tag", "新闻", "--notify", "--json", "--user", "owner"]) == 0
    assert json.loads(capsys.readouterr().out)["notify"] is True
    assert preferences.summary(link)["notify_from"] == "tag"
    # Another person's link does not exist for them.
    assert main(["watch", str(link.pk), "--no-notify", "--user", "other"]) == 1
    assert preferences.notifies(link)


def test_a_tag_opt_in_is_what_makes_a_changed_page_notify(http_server, owner, other_user):
    mine = watched(http_server, owner, "/m", tags=["新闻"])
    theirs = watched(http_server, other_user, "/t", title="旧城改造", tags=["新闻"])
    for link in (mine, theirs):
        preferences.set_link_notify(link, None)  # no choice of their own
    preferences.set_tag_notify(Tag.objects.get(owner=owner, name="新闻"), True)
    http_server.route("/m", body=page("城市更新", *EDITED), headers=HTML)
    http_server.route("/t", body=page("旧城改造", *EDITED), headers=HTML)
    check_again(mine)
    check_again(theirs)
    assert list(Notification.objects.values_list("owner_id", "link_id", "kind")) == [
        (owner.pk, mine.pk, "changed")
    ]
