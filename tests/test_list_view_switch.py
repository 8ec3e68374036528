"""Cards or compact: a form (no JavaScript needed) sets a cookie every list then follows."""

import pytest
from django.utils.encoding import iri_to_uri

from linkhome.testing.factories import client_for, kept

pytestmark = pytest.mark.django_db

LISTS = ("/", "/tags/港口/", "/search/?q=港口")


@pytest.fixture
def some(owner):
    return kept(owner, "https://news.example/a", "港口 新闻 正文", title="港口新闻", tags=["港口"])


def test_cards_are_the_default(owner, some):
    client = client_for(owner)
    for path in LISTS:
        page = client.get(path).content.decode()
        assert 'class="items cards"' in page or 'class="items results cards"' in page, path
        assert '<form class="view-switch" method="post" action="/lists/view/">' in page


def test_choosing_compact_is_remembered_on_every_list(owner, some):
    client = client_for(owner)
    response = client.post("/lists/view/", {"view": "compact", "next": "/tags/港口/"})
    assert response.status_code == 302 and response["Location"] == iri_to_uri("/tags/港口/")
    assert response.cookies["linkhome_list_view"].value == "compact"
    for path in LISTS:
        page = client.get(path).content.decode()
        assert 'class="items compact"' in page or 'class="items results compact"' in page, path
        assert 'value="compact" class="secondary" aria-pressed="true"' in page
    client.post("/lists/view/", {"view": "cards", "next": "/"})
    assert 'class="items cards"' in client.get("/").content.decode()


def test_anonymous_readers_can_switch_too(some):
    client = client_for()
    client.post("/lists/view/", {"view": "compact", "next": "/"})
    assert 'id="feed" class="items compact"' in client.get("/").content.decode()


@pytest.mark.parametrize("back", ["https://evil.example/", "//evil.example/x", "javascript:x"])
def test_it_never_sends_anyone_elsewhere(back):
    response = client_for().post("/lists/view/", {"view": "compact", "next": back})
    assert response["Location"] == "/"


def test_an_unknown_view_changes_nothing(owner, some):
    client = client_for(owner)
    response = client.post("/lists/view/", {"view": "huge", "next": "/"})
    assert "linkhome_list_view" not in response.cookies
    assert 'class="items cards"' in client.get("/").content.decode()


def test_asking_with_get_is_refused():
    assert client_for().get("/lists/view/?view=compact").status_code == 405
