"""A person's empty list says how to start: paste an address, the bookmarklet at /tools/,
the import page; in Chinese by default and in English. A filter that matches nothing says
so instead."""

import pytest

from linkhome.links.services import add_link
from linkhome.testing.factories import client_for

pytestmark = pytest.mark.django_db


def test_an_empty_list_teaches_three_ways_in_both_languages(owner):
    chinese = client_for(owner).get("/").content.decode()
    assert 'id="empty-state"' in chinese
    assert 'href="/tools/"' in chinese and 'href="/imports/"' in chinese
    assert "粘贴" in chinese and "书签小工具" in chinese and "导入" in chinese
    english = client_for(owner).get("/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Paste a web page's address" in english and "bookmarklet" in english


def test_a_filter_that_matches_nothing_is_not_the_first_run_page(owner):
    add_link(owner, "https://example.com/a", tags=["有"])
    page = client_for(owner).get("/?tag=无").content.decode()
    assert 'id="empty-state"' not in page


def test_a_list_with_links_has_no_empty_state(owner):
    add_link(owner, "https://example.com/a")
    assert 'id="empty-state"' not in client_for(owner).get("/").content.decode()
    assert 'id="empty-state"' not in client_for(None).get("/").content.decode()
