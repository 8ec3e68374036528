"""`linkhome search`, `linkhome reindex` and GET /api/search: thin adapters over search()."""

import json

import pytest
from django.test import Client

from linkhome.accounts.services import create_token, nickname_of
from linkhome.cli.main import main
from linkhome.search.backends import backend
from linkhome.testing.factories import client_for, kept

pytestmark = pytest.mark.django_db


@pytest.fixture
def pages(owner):
    return [
        kept(owner, f"https://news.test/{n}", title=f"新闻第{n}条", text=f"经济新闻正文，第{n}条。")
        for n in range(3)
    ]


def test_cli_json_prints_one_object_per_result(pages, capsys):
    assert main(["search", "经济", "--json", "--limit", "2"]) == 0
    lines = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert len(lines) == 2
    first = lines[0]
    assert {"snapshot_id", "title", "url", "snippet", "score"} <= first.keys()
    assert first["url"].startswith("https://news.test/") and first["title"].startswith("新闻第")
    assert "<mark>经济</mark>" in first["snippet"] and "<mark>" not in first["snippet_text"]


def test_cli_text_output_and_paging_hint(pages, capsys):
    assert main(["search", "经济", "新闻", "--limit", "2"]) == 0  # words need no quoting
    out, err = capsys.readouterr()
    assert out.count("https://news.test/") == 2 and "经济新闻正文" in out
    assert "2 of 3 results; more with --offset 2" in err


def test_cli_query_errors_exit_1(pages, capsys):
    assert main(["search", "before:someday"]) == 1
    assert "YYYY-MM-DD" in capsys.readouterr().err


def test_cli_reindex_rebuilds_everything(pages, capsys):
    backend().delete([p.link_id for p in pages])
    assert main(["reindex"]) == 0
    assert "indexed 3 links" in capsys.readouterr().out
    assert len(backend().link_ids()) == 3


def test_api_answers_with_results_and_paging(pages, owner):
    client = Client(HTTP_AUTHORIZATION=f"Bearer {create_token(owner).key}")
    body = client.get("/api/search", {"q": "经济", "limit": 2}).json()
    assert body["total"] == 3 and not body["total_capped"]
    assert body["has_more"] and body["offset"] == 0
    assert [r["title"] for r in body["results"]] == [
        hit["title"] for hit in client.get("/api/search", {"q": "经济"}).json()["results"][:2]
    ]
    assert "<mark>经济</mark>" in body["results"][0]["snippet"]
    assert body["results"][0]["keeper"] == nickname_of(owner)


def test_api_works_anonymously_and_with_a_session(pages, owner):
    assert Client().get("/api/search", {"q": "经济"}).json()["total"] == 3
    assert client_for(owner).get("/api/search", {"q": "经济 is:mine"}).json()["total"] == 3


def test_api_refuses_a_wrong_token_and_a_bad_query(pages):
    assert Client(HTTP_AUTHORIZATION="Bearer wrong").get("/api/search?q=x").status_code == 401
    response = Client().get("/api/search", {"q": "after:soon"})
    assert response.status_code == 400 and "YYYY-MM-DD" in response.json()["detail"]
