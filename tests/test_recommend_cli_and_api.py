"""`linkhome related` and GET /api/snapshots/{id}/related and /tag-suggestions: thin
adapters over the recommend functions, with the same privacy rule as every other view."""

import json

import pytest

from linkhome.accounts.services import create_token, nickname_of
from linkhome.cli.main import main
from linkhome.testing.factories import client_for, kept
from tests.recommend_support import FOOTBALL_EN

pytestmark = pytest.mark.django_db


@pytest.fixture
def pages(owner, other_user):
    page = kept(owner, "https://a.example/p", FOOTBALL_EN[0], title="Home side wins")
    near = kept(other_user, "https://b.example/q", FOOTBALL_EN[1], title="Young striker named")
    secret = kept(owner, "https://a.example/secret", FOOTBALL_EN[2], visibility="private")
    return page, near, secret


def test_cli_json_prints_one_object_per_related_snapshot(pages, other_user, capsys):
    page, near, _ = pages
    assert main(["related", str(page.pk), "--json", "--user", "other"]) == 0
    lines = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert [line["snapshot_id"] for line in lines] == [near.pk]
    assert lines[0]["title"] == "Young striker named"
    assert lines[0]["url"] == "https://b.example/q"
    assert lines[0]["nickname"] == nickname_of(other_user)
    assert lines[0]["score"] > 0


def test_cli_text_output_never_shows_a_private_page(pages, capsys):
    page, _, secret = pages
    assert main(["related", str(page.pk), "--user", "owner"]) == 0
    out = capsys.readouterr().out
    assert "https://b.example/q" in out and "https://a.example/secret" not in out


def test_cli_a_private_snapshot_does_not_exist_for_others(pages, capsys):
    _, _, secret = pages
    assert main(["related", str(secret.pk), "--user", "other"]) == 1
    assert f"no snapshot {secret.pk}" in capsys.readouterr().err


def test_api_related_for_a_token_holder(pages, other_user):
    page, near, _ = pages
    token = create_token(other_user).key
    answer = client_for().get(
        f"/api/snapshots/{page.pk}/related", headers={"Authorization": f"Bearer {token}"}
    )
    assert answer.status_code == 200
    body = answer.json()
    assert [item["snapshot_id"] for item in body] == [near.pk]
    assert body[0]["nickname"] == nickname_of(other_user) and body[0]["url"].endswith("/q")


def test_api_a_private_snapshot_is_404_to_others_on_both_endpoints(pages, owner, other_user):
    _, _, secret = pages
    for path in ("related", "tag-suggestions"):
        url = f"/api/snapshots/{secret.pk}/{path}"
        assert client_for(other_user).get(url).status_code == 404
        assert client_for(owner).get(url).status_code == 200


def test_api_tag_suggestions_from_the_page_and_the_persons_tags(pages, owner):
    page, _, _ = pages
    answer = client_for(owner).get(f"/api/snapshots/{page.pk}/tag-suggestions?limit=3")
    assert answer.status_code == 200
    body = answer.json()
    assert body["snapshot_id"] == page.pk and len(body["tags"]) == 3
    words = set(f"home side wins {FOOTBALL_EN[0]}".lower().replace(";", " ").split())
    assert set(body["tags"]) <= words
