"""A subscription is its owner's alone: someone else's is a 404 on the page, in the API and
in the CLI, never listed, never unsubscribed; the links a private subscription adds are
private, so nobody else finds them."""

import json

import pytest
from django.test import Client

from linkhome.accounts.services import create_token
from linkhome.cli.main import main
from linkhome.imports import feeds, polling
from linkhome.imports.models import Subscription
from linkhome.links.models import Link
from linkhome.testing.factories import client_for
from linkhome.testing.feed_site import FeedSite, rss

pytestmark = pytest.mark.django_db(transaction=True)
MARK = "秘密订阅源-7f3a"


def test_someone_elses_subscription_is_404_everywhere(owner, other_user, http_server, capsys):
    site = FeedSite(http_server)
    site.body = rss(MARK, [("https://secret.example.org/1", MARK, None)])
    sub = feeds.subscribe(owner, site.url, tags=[MARK], visibility="private").subscription
    assert polling.poll_due(10, "test") == 1
    assert Link.objects.get(owner=owner).visibility == "private"

    web = client_for(other_user)
    assert web.get(f"/subscriptions/{sub.pk}/").status_code == 404
    assert web.post(f"/subscriptions/{sub.pk}/unsubscribe/").status_code == 404
    listing = web.get("/subscriptions/").content.decode()
    assert MARK not in listing and site.url not in listing
    assert client_for().get(f"/subscriptions/{sub.pk}/").status_code == 302  # sign in first

    api = Client(HTTP_AUTHORIZATION=f"Bearer {create_token(other_user, 't').key}")
    assert api.get(f"/api/subscriptions/{sub.pk}").status_code == 404
    assert api.delete(f"/api/subscriptions/{sub.pk}").status_code == 404
    assert api.get("/api/subscriptions").json() == {"subscriptions": []}
    assert Client().get("/api/subscriptions").status_code == 401

    assert main(["unsubscribe", str(sub.pk), "--user", other_user.username]) == 1
    assert main(["subscriptions", "--json", "--user", other_user.username]) == 0
    assert json.loads(capsys.readouterr().out) == []

    # The private links it added: nowhere for anyone else.
    assert MARK not in web.get("/").content.decode()
    assert MARK not in client_for().get("/feeds/latest.atom").content.decode()
    assert Subscription.objects.filter(pk=sub.pk).exists()

    # The owner sees it everywhere and can stop it.
    mine = Client(HTTP_AUTHORIZATION=f"Bearer {create_token(owner, 't').key}")
    shown = mine.get(f"/api/subscriptions/{sub.pk}").json()
    assert (shown["title"], shown["added"], shown["result"]) == (MARK, 1, "ok")
    assert MARK in client_for(owner).get(f"/subscriptions/{sub.pk}/").content.decode()
    assert mine.delete(f"/api/subscriptions/{sub.pk}").status_code == 204
    assert not Subscription.objects.exists()
    assert Link.objects.filter(owner=owner).count() == 1  # its links stay


def test_the_api_and_cli_subscribe(owner, capsys):
    api = Client(HTTP_AUTHORIZATION=f"Bearer {create_token(owner, 't').key}")
    made = api.post(
        "/api/subscriptions",
        {"url": "https://blog.example.org/feed", "tags": ["a"], "visibility": "private"},
        content_type="application/json",
    )
    assert made.status_code == 201
    assert (made.json()["visibility"], made.json()["tags"]) == ("private", ["a"])
    again = api.post(
        "/api/subscriptions",
        {"url": "https://blog.example.org/feed"},
        content_type="application/json",
    )
    assert again.status_code == 200 and again.json()["id"] == made.json()["id"]
    refused = api.post(
        "/api/subscriptions", {"url": "javascript:alert(1)"}, content_type="application/json"
    )
    assert refused.status_code == 400

    assert (
        main(["subscribe", "https://other.example.org/rss", "--tag", "x", "--private", "--json"])
        == 0
    )
    printed = json.loads(capsys.readouterr().out)
    assert (printed["created"], printed["tags"], printed["visibility"]) == (True, ["x"], "private")
    assert main(["subscriptions"]) == 0
    assert "https://other.example.org/rss" in capsys.readouterr().out
    assert main(["unsubscribe", str(printed["id"])]) == 0
    assert main(["subscribe", "ftp://nope.example.org/"]) == 1
