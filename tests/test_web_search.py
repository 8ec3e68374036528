"""The search page and the header box: highlighted hits, privacy, errors, pages."""

import pytest

from linkhome.testing.factories import client_for, kept

pytestmark = pytest.mark.django_db

TEXT = "北京大学的研究人员发布了新的人工智能模型，引起了广泛关注。"


def results_of(html: str) -> str:
    return html.split('id="results"', 1)[1].split("</ol>", 1)[0]


def test_a_two_character_word_finds_the_page_and_is_highlighted(owner):
    kept(owner, "https://a.example/ai", title="人工智能新闻", text=TEXT)
    page = client_for().get("/search/", {"q": "模型"}).content.decode()
    hits = results_of(page)
    assert "人工智能新闻" in hits and "<mark>模型</mark>" in hits
    assert 'id="search"' in page  # the header box is on every page


def test_others_private_links_never_show(owner, other_user):
    kept(owner, "https://a.example/secret", title="绝密报告", text=TEXT, visibility="private")
    for viewer in (None, other_user):
        page = client_for(viewer).get("/search/", {"q": "北京大学"}).content.decode()
        assert "绝密报告" not in page
    assert "绝密报告" in client_for(owner).get("/search/", {"q": "北京大学"}).content.decode()


def test_a_bad_query_says_why(owner):
    response = client_for(owner).get("/search/", {"q": "before:not-a-date"})
    assert response.status_code == 200 and 'class="errorlist"' in response.content.decode()


def test_results_come_in_pages(owner):
    for n in range(23):
        kept(owner, f"https://a.example/{n}", title=f"报告 {n}", text=TEXT)
    client = client_for(owner)
    first = client.get("/search/", {"q": "研究"}).content.decode()
    assert results_of(first).count('class="hit"') == 20 and "page=2" in first
    second = client.get("/search/", {"q": "研究", "page": "2"}).content.decode()
    assert results_of(second).count('class="hit"') == 3


def test_an_empty_query_shows_the_form_only():
    page = client_for().get("/search/").content.decode()
    assert 'id="search-page"' in page and 'id="results"' not in page
