"""The add form offers, for the address being typed, the tags its person used on that site."""

import pytest

from linkhome.links.services import add_link
from linkhome.testing.factories import client_for

pytestmark = pytest.mark.django_db


def options(client, url: str) -> str:
    response = client.get("/add/tags/", {"url": url})
    assert response.status_code == 200
    return response.content.decode()


def test_the_tags_used_on_the_same_site_are_offered_most_used_first(owner):
    add_link(owner, "https://news.example.com/a", tags=["新闻", "体育"])
    add_link(owner, "https://news.example.com/b", tags=["新闻"])
    add_link(owner, "https://other.example.org/c", tags=["菜谱"])
    html = options(client_for(owner), "https://news.example.com/new")
    assert html.index('value="新闻"') < html.index('value="体育"')
    assert "菜谱" not in html


def test_only_your_own_tags_are_offered(owner, other_user):
    add_link(other_user, "https://news.example.com/a", tags=["别人的标签"])
    assert "别人的标签" not in options(client_for(owner), "https://news.example.com/x")


def test_a_malformed_address_offers_nothing_and_signed_out_people_are_sent_to_sign_in(owner):
    assert "<option" not in options(client_for(owner), "not a url")
    assert client_for(None).get("/add/tags/", {"url": "https://a.test/"}).status_code == 302


def test_the_add_form_asks_for_them_and_lists_them_for_the_tags_box(owner):
    html = client_for(owner).get("/").content.decode()
    form = html.split('id="add-link"', 1)[1].split("</form>", 1)[0]
    assert 'hx-get="/add/tags/"' in form and 'list="add-tag-options"' in form
