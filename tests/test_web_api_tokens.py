"""API tokens on the account page: made with a name (the key shown once), listed with when
each was made and last used, revoked, after which the API refuses it. Each person sees and
revokes only their own; every change needs the CSRF token."""

from datetime import timedelta

import lxml.html
import pytest
from django.test import Client
from django.utils import timezone

from linkhome.accounts import services
from linkhome.accounts.models import ApiToken
from linkhome.cli.main import main
from linkhome.links.services import add_link
from linkhome.testing.factories import client_for

pytestmark = pytest.mark.django_db


def page(response) -> lxml.html.HtmlElement:
    return lxml.html.fromstring(response.content.decode())


def made_key(response) -> str:
    return page(response).get_element_by_id("new-token-key").value


def rows(client: Client) -> list[list[str]]:
    table = page(client.get("/accounts/", HTTP_ACCEPT_LANGUAGE="en")).get_element_by_id(
        "token-list"
    )
    return [[td.text_content().strip() for td in tr.findall("td")] for tr in table.iter("tr")][1:]


def api(key: str) -> Client:
    return Client(HTTP_AUTHORIZATION=f"Bearer {key}")


def test_a_token_made_on_the_account_page_works_until_it_is_revoked(owner):
    add_link(owner, "https://example.com/mine", visibility="private")
    client = client_for(owner)
    made = client.post("/accounts/tokens/", {"name": "laptop script"})
    assert made.status_code == 200 and made["Cache-Control"] == "no-store"
    key = made_key(made)
    assert ApiToken.objects.get(user=owner).key == key
    answer = api(key).get("/api/links")
    assert answer.status_code == 200
    assert [link["url"] for link in answer.json()] == ["https://example.com/mine"]

    token = ApiToken.objects.get(user=owner)
    revoked = client.post(f"/accounts/tokens/{token.pk}/revoke/")
    assert revoked.status_code == 302 and revoked["Location"] == "/accounts/"
    assert api(key).get("/api/links").status_code == 401
    assert api(key).post("/api/links", {"url": "https://example.com/x"}).status_code == 401
    assert rows(client) == [["No API tokens yet."]]


def test_the_key_is_shown_once_and_the_list_says_when_each_was_made_and_used(owner):
    client = client_for(owner)
    key = made_key(client.post("/accounts/tokens/", {"name": "phone"}))
    services.create_token(owner, "  cli  token ")  # what `linkhome token` makes is listed too
    listed = client.get("/accounts/")
    assert key not in listed.content.decode()  # never again after the answer that made it
    assert rows(client) == [
        ["cli token", "just now", "Never", "Revoke"],
        ["phone", "just now", "Never", "Revoke"],
    ]
    assert api(key).get("/api/links").status_code == 200
    assert rows(client)[1][:3] == ["phone", "just now", "just now"]


def test_a_tokens_last_use_is_written_at_most_once_a_minute(owner):
    token = services.create_token(owner, "busy")
    assert api(token.key).get("/api/links").status_code == 200
    token.refresh_from_db()
    first = token.last_used_at
    assert first is not None
    assert api(token.key).get("/api/links").status_code == 200
    token.refresh_from_db()
    assert token.last_used_at == first
    ApiToken.objects.filter(pk=token.pk).update(last_used_at=first - timedelta(minutes=2))
    assert api(token.key).get("/api/links").status_code == 200
    token.refresh_from_db()
    assert token.last_used_at > first - timedelta(minutes=2)
    assert timezone.now() - token.last_used_at < timedelta(minutes=1)


def test_a_person_sees_and_revokes_only_their_own_tokens(owner, other_user):
    theirs = services.create_token(other_user, "their secret script")
    client = client_for(owner)
    assert "their secret script" not in client.get("/accounts/").content.decode()
    assert client.post(f"/accounts/tokens/{theirs.pk}/revoke/").status_code == 404
    assert api(theirs.key).get("/api/links").status_code == 200  # still theirs, still working
    assert client.post("/accounts/tokens/999999/revoke/").status_code == 404


def test_a_token_needs_a_name(owner):
    client = client_for(owner)
    for name in ("", "   ", "x" * 101):
        refused = client.post("/accounts/tokens/", {"name": name}, HTTP_ACCEPT_LANGUAGE="en")
        assert refused.status_code == 400
        assert page(refused).find_class("errorlist")
    assert not ApiToken.objects.exists()
    with pytest.raises(services.AccountError):
        services.create_token(owner, " \t ")


def test_token_pages_need_a_signed_in_person_and_the_csrf_token(owner):
    token = services.create_token(owner, "kept")
    anonymous = Client()
    assert anonymous.get("/accounts/").status_code == 302
    assert anonymous.post("/accounts/tokens/", {"name": "x"}).status_code == 302
    assert anonymous.post(f"/accounts/tokens/{token.pk}/revoke/").status_code == 302
    assert client_for(owner).get("/accounts/tokens/").status_code == 405

    strict = Client(enforce_csrf_checks=True)
    strict.force_login(owner)
    assert strict.post("/accounts/tokens/", {"name": "forged"}).status_code == 403
    assert strict.post(f"/accounts/tokens/{token.pk}/revoke/").status_code == 403
    assert list(ApiToken.objects.values_list("name", flat=True)) == ["kept"]
    form = page(strict.get("/accounts/")).get_element_by_id("create-token")
    csrf = form.fields["csrfmiddlewaretoken"]
    made = strict.post("/accounts/tokens/", {"name": "real", "csrfmiddlewaretoken": csrf})
    assert made.status_code == 200 and ApiToken.objects.filter(name="real").exists()


def test_the_account_page_is_in_the_readers_language(owner):
    client = client_for(owner)
    chinese = client.get("/accounts/").content.decode()
    assert "API 令牌" in chinese and "还没有 API 令牌。" in chinese
    english = client.get("/accounts/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "API tokens" in english and "No API tokens yet." in english
    assert 'href="/accounts/"' in client.get("/").content.decode()  # the header links to it
    for page_link in ('href="/accounts/nickname/"', 'href="/accounts/password/"'):
        assert page_link in chinese  # the account's other pages are reached from here


def test_a_token_made_by_the_cli_is_listed_and_revoked_on_the_page(owner, capsys):
    assert main(["token", "owner", "--name", "nightly backup"]) == 0
    key = capsys.readouterr().out.strip()
    assert api(key).get("/api/links").status_code == 200
    client = client_for(owner)
    assert rows(client)[0][0] == "nightly backup"
    token = ApiToken.objects.get(key=key)
    client.post(f"/accounts/tokens/{token.pk}/revoke/")
    assert api(key).get("/api/links").status_code == 401
    assert main(["token", "owner", "--name", "  "]) == 1  # a name is needed there too
    assert "a token's name has 1 to 100 characters" in capsys.readouterr().err
