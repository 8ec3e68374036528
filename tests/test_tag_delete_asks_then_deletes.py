"""Deleting a tag on /tags/ asks first (a page, no script); only the yes deletes it, and
only the person's own tag: someone else's tag of the same name is never shown or touched."""

import pytest

from linkhome.links.models import Tag
from linkhome.links.services import add_link
from linkhome.testing.factories import client_for

pytestmark = pytest.mark.django_db


def test_delete_asks_then_deletes_and_offers_undo(owner):
    link = add_link(owner, "https://example.com/a", tags=["旧闻", "新闻"]).link
    add_link(owner, "https://example.com/b", tags=["旧闻"])
    client = client_for(owner)
    asked = client.post("/tags/旧闻/edit/", {"action": "delete"})
    page = asked.content.decode()
    assert asked.status_code == 200 and 'id="tag-confirm"' in page
    assert "删除标签「旧闻」吗？它在 2 个链接上" in page and 'value="delete-confirmed"' in page
    assert Tag.objects.filter(owner=owner, name="旧闻").exists()  # nothing yet
    done = client.post("/tags/旧闻/edit/", {"action": "delete-confirmed"}, follow=True)
    page = done.content.decode()
    assert "标签「旧闻」已删除；原来带它的 2 个链接都还在。" in page
    assert 'id="tag-undo"' in page and "撤销" in page
    assert not Tag.objects.filter(owner=owner, name="旧闻").exists()
    assert [t.name for t in link.tags.all()] == ["新闻"]
    again = client.get("/tags/").content.decode()
    assert 'id="tag-undo"' not in again  # offered once, with the message


def test_nobody_else_can_ask_for_or_delete_my_tag(owner, other_user):
    add_link(owner, "https://example.com/a", tags=["私人"], visibility="private")
    other = client_for(other_user)
    for action in ("delete", "delete-confirmed"):
        response = other.post("/tags/私人/edit/", {"action": action}, follow=True)
        page = response.content.decode()
        assert "你没有名为 私人 的标签" in page and 'id="tag-confirm"' not in page
    assert Tag.objects.filter(owner=owner, name="私人").exists()
    signed_out = client_for(None).post("/tags/私人/edit/", {"action": "delete-confirmed"})
    assert signed_out.status_code == 302 and "/accounts/login/" in signed_out["Location"]
    assert Tag.objects.filter(owner=owner, name="私人").exists()


def test_the_confirmation_page_escapes_the_name(owner):
    add_link(owner, "https://example.com/a", tags=["<b>x"])
    page = client_for(owner).post("/tags/<b>x/edit/", {"action": "delete"}).content.decode()
    assert "&lt;b&gt;x" in page and "<b>x" not in page
