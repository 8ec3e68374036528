"""The private feed lives at a secret address the owner makes, replaces and revokes on the
account page. The secret is not an API token: neither opens what the other does. A revoked
or replaced address is a 404, like any address that never existed."""

import re

import pytest
from django.test import Client

from linkhome.accounts.models import ApiToken, FeedAddress
from linkhome.accounts.services import create_token, feed_secret
from linkhome.testing.factories import client_for, kept
from tests.feeds_support import read_feed

pytestmark = pytest.mark.django_db(transaction=True)
ADDRESS = re.compile(r'value="http://testserver(/feeds/private/[^"/]+\.(?:atom|rss))"')


def addresses(client: Client) -> list[str]:
    page = client.get("/accounts/")
    assert page.status_code == 200
    return ADDRESS.findall(page.content.decode())


def act(client: Client, action: str) -> None:
    response = client.post("/accounts/feed/", {"action": action})
    assert response.status_code == 302 and response["Location"] == "/accounts/"


@pytest.fixture
def private_link(owner):
    return kept(
        owner, "https://a.example.org/p", "私密正文", title="私密页面", visibility="private"
    )


def test_make_rotate_and_revoke_the_address(owner, private_link):
    client = client_for(owner)
    assert addresses(client) == []  # none until asked for
    act(client, "create")
    atom, rss = addresses(client)
    assert atom.endswith(".atom") and rss == atom[: -len("atom")] + "rss"
    for url in (atom, rss):
        assert [e.title for e in read_feed(client_for(), url).entries] == ["私密页面"]

    act(client, "rotate")
    new_atom, new_rss = addresses(client)
    assert new_atom != atom
    assert client_for().get(atom).status_code == 404
    assert client_for().get(rss).status_code == 404
    assert read_feed(client_for(), new_atom).entries[0].title == "私密页面"

    act(client, "revoke")
    assert addresses(client) == []
    assert client_for().get(new_atom).status_code == 404
    assert client_for().get(new_rss).status_code == 404
    assert not FeedAddress.objects.exists()


def test_the_secret_is_not_the_api_token(owner, private_link):
    client = client_for(owner)
    act(client, "create")
    secret = feed_secret(owner)
    token = create_token(owner, "reader").key
    assert secret and secret != token and not ApiToken.objects.filter(key=secret).exists()
    assert client_for().get(f"/feeds/private/{token}.atom").status_code == 404
    as_token = client_for().get("/api/links", HTTP_AUTHORIZATION=f"Bearer {secret}")
    assert as_token.status_code == 401


def test_the_private_feed_says_private_not_public_cache(owner, private_link):
    client = client_for(owner)
    act(client, "create")
    response = client_for().get(addresses(client)[0])
    assert "private" in response["Cache-Control"]
    assert response["X-Robots-Tag"] == "noindex"


def test_only_the_owner_makes_or_sees_their_address(owner, other_user, private_link):
    act(client_for(owner), "create")
    secret = feed_secret(owner)
    assert secret not in client_for(other_user).get("/accounts/").content.decode()
    act(client_for(other_user), "revoke")  # revokes their own (none), never the owner's
    assert feed_secret(owner) == secret
    signed_out = client_for().post("/accounts/feed/", {"action": "rotate"})
    assert signed_out.status_code == 302 and "/accounts/login/" in signed_out["Location"]
    assert feed_secret(owner) == secret
    assert client_for().get("/accounts/").status_code == 302
    strict = Client(enforce_csrf_checks=True)
    strict.force_login(owner)
    assert strict.post("/accounts/feed/", {"action": "revoke"}).status_code == 403
    assert feed_secret(owner) == secret


def test_unknown_addresses_and_inactive_accounts_are_404(owner, private_link):
    act(client_for(owner), "create")
    secret = feed_secret(owner)
    assert client_for().get("/feeds/private/not-a-secret.atom").status_code == 404
    assert client_for().get(f"/feeds/private/{secret}.json").status_code == 404
    owner.is_active = False
    owner.save()
    assert client_for().get(f"/feeds/private/{secret}.atom").status_code == 404


def test_the_account_page_speaks_both_languages(owner):
    client = client_for(owner)
    assert "私人订阅" in client.get("/accounts/").content.decode()
    english = client.get("/accounts/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Private feed" in english and "私人订阅" not in english
