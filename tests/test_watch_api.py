"""Schedules and health through the API: field names as README documents them, only your
own links and tags, and the list filtered by health."""

import json

import pytest

from linkhome.accounts.services import create_token
from linkhome.links.models import Link
from linkhome.links.services import add_link
from linkhome.testing.factories import client_for, finished

pytestmark = pytest.mark.django_db


def api(user):
    client = client_for()
    token = create_token(user).key
    return client, {"HTTP_AUTHORIZATION": f"Bearer {token}"}


def put(client, headers, path, body):
    return client.put(path, json.dumps(body), content_type="application/json", **headers)


def test_a_links_schedule_is_set_and_read_through_the_api(owner, other_user):
    link = add_link(owner, "https://example.com/a", tags=["新闻"]).link
    client, headers = api(owner)
    answer = put(client, headers, f"/api/links/{link.pk}/watch", {"watch_every": "weekly"})
    assert answer.status_code == 200, answer.content
    body = answer.json()
    assert body["watch_every"] == "weekly" and body["watch_effective"] == "weekly"
    assert body["watch_from"] == "link" and body["next_check_at"]
    assert client.get(f"/api/links/{link.pk}/watch", **headers).json() == body

    answer = put(client, headers, "/api/tags/新闻/watch", {"watch_every": "daily"})
    assert answer.json() == {"tag": "新闻", "watch_every": "daily"}
    answer = put(client, headers, "/api/watch/default", {"watch_every": "monthly"})
    assert answer.json() == {"watch_default": "monthly"}
    assert (
        put(client, headers, f"/api/links/{link.pk}/watch", {"watch_every": "hourly"}).status_code
        == 422
    )

    # Another person's link and tag do not exist for them.
    other, other_headers = api(other_user)
    assert other.get(f"/api/links/{link.pk}/watch", **other_headers).status_code == 404
    assert (
        put(
            other, other_headers, f"/api/links/{link.pk}/watch", {"watch_every": "never"}
        ).status_code
        == 404
    )
    assert (
        put(other, other_headers, "/api/tags/新闻/watch", {"watch_every": "never"}).status_code
        == 404
    )
    link.refresh_from_db()
    assert link.watch_every == "weekly"


def test_links_carry_their_health_and_filter_by_it(owner):
    ok = add_link(owner, "https://example.com/ok").link
    gone = add_link(owner, "https://example.com/gone").link
    finished(ok.snapshots.get(), "succeeded")
    snapshot = gone.snapshots.get()
    snapshot.http_status = 404
    finished(snapshot, "failed", "the server answered 404 Not Found")
    client, headers = api(owner)
    everything = client.get("/api/links", **headers).json()
    states = {item["id"]: item["health"]["state"] for item in everything}
    assert states == {ok.pk: "ok", gone.pk: "gone"}
    only_gone = client.get("/api/links?health=gone", **headers).json()
    assert [item["id"] for item in only_gone] == [gone.pk]
    assert only_gone[0]["health"]["status"] == 404
    detail = client.get(f"/api/links/{gone.pk}", **headers).json()
    assert detail["link"]["health"]["state"] == "gone"
    assert detail["snapshot"]["change"] == ""


def test_a_link_can_be_added_with_a_schedule(owner):
    client, headers = api(owner)
    answer = client.post(
        "/api/links",
        json.dumps({"url": "https://example.com/w", "watch_every": "daily"}),
        content_type="application/json",
        **headers,
    )
    assert answer.status_code == 201
    assert Link.objects.get(url="https://example.com/w").watch_every == "daily"
