"""A person's results are their own links plus public ones; never anyone else's private link,
whatever the query, the filters or the way in (search(), search_terms, API, CLI)."""

import json

import pytest
from django.test import Client

from linkhome.accounts.services import create_token
from linkhome.cli.main import main
from linkhome.links.models import Link
from linkhome.links.services import edit_link
from linkhome.search import api
from linkhome.testing.factories import kept
from tests.search_support import found, found_set

pytestmark = pytest.mark.django_db
QUERIES = [
    "秘密计划",
    "秘密",
    '"秘密计划"',
    "tag:机密",
    "site:secret.test",
    "秘密 -广告",
    "after:2000-01-01",
]


@pytest.fixture
def secret(owner):
    return kept(
        owner,
        "https://secret.test/plan",
        title="秘密计划",
        text="这是秘密计划的全文。",
        tags=["机密"],
        visibility="private",
    )


@pytest.fixture
def public(other_user):
    return kept(
        other_user,
        "https://public.test/p",
        title="公开文章",
        text="关于秘密计划的公开讨论。",
        tags=["机密"],
    )


@pytest.mark.parametrize("query", QUERIES)
def test_a_private_link_is_found_by_its_owner_only(
    query, secret, public, owner, other_user, anonymous
):
    assert secret.pk in found(owner, query)
    assert secret.pk not in found(other_user, query)
    assert secret.pk not in found(anonymous, query)
    assert secret.pk not in found(None, query)


def test_is_mine_shows_nothing_of_others(secret, public, other_user):
    assert found(other_user, "秘密 is:mine") == [public.pk]


def test_more_like_this_terms_respect_privacy_too(secret, public, owner, other_user):
    weights = {"秘密": 1.0, "计划": 1.0}
    assert {r.snapshot_id for r in api.search_terms(owner, weights)} == {secret.pk, public.pk}
    assert {r.snapshot_id for r in api.search_terms(other_user, weights)} == {public.pk}
    assert {r.snapshot_id for r in api.search_terms(None, weights)} == {public.pk}


def test_totals_do_not_count_what_you_cannot_see(secret, public, other_user):
    assert api.search(other_user, "秘密").total == 1


def test_making_a_link_private_hides_it_at_once_and_public_shows_it(public, owner, other_user):
    link = public.link
    edit_link(link, title=link.title, note="", tags=["机密"], visibility="private")
    assert found(owner, "秘密") == [] and found(other_user, "秘密") == [public.pk]
    edit_link(link, title=link.title, note="", tags=["机密"], visibility="public")
    assert found(owner, "秘密") == [public.pk]


def test_privacy_holds_even_when_the_index_was_not_told(public, owner):
    # A bulk UPDATE sends no signal: visibility is checked against the links table itself.
    Link.objects.filter(pk=public.link_id).update(visibility="private")
    assert found(owner, "秘密") == [] and found(None, "tag:机密") == []


def test_the_api_shows_the_anonymous_and_other_users_public_links_only(secret, public, other_user):
    for client in (Client(), Client(HTTP_AUTHORIZATION=f"Bearer {create_token(other_user).key}")):
        results = client.get("/api/search", {"q": "秘密"}).json()["results"]
        assert [r["snapshot_id"] for r in results] == [public.pk]


def test_the_cli_shows_another_users_public_links_only(secret, public, capsys):
    assert main(["search", "秘密", "--json", "--user", "other"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert [json.loads(line)["snapshot_id"] for line in lines] == [public.pk]
    assert found_set(None, "秘密") == {public.pk}
