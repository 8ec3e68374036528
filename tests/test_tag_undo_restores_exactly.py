"""Undoing a tag delete or merge puts the tag back on exactly the links that had it: not on
links tagged since, never on a link deleted meanwhile, never on anyone else's link."""

import pytest

from linkhome.links.models import Link, Tag
from linkhome.links.services import add_link
from linkhome.links.tags import delete_tag, merge_tags, undo
from linkhome.testing.factories import client_for

pytestmark = pytest.mark.django_db


def names(link) -> set[str]:
    return {t.name for t in Link.objects.get(pk=link.pk).tags.all()}


def test_undo_a_delete_restores_the_tag_on_exactly_its_links(owner, other_user):
    a = add_link(owner, "https://example.com/a", tags=["读书", "x"]).link
    b = add_link(owner, "https://example.com/b", tags=["读书"]).link
    c = add_link(owner, "https://example.com/c", tags=["x"]).link
    gone = add_link(owner, "https://example.com/gone", tags=["读书"]).link
    theirs = add_link(other_user, "https://example.com/a", tags=["读书"]).link
    tag = Tag.objects.get(owner=owner, name="读书")
    tag.watch_every = "day"
    tag.save()
    done = delete_tag(owner, "读书")
    assert done.links == 3
    gone.delete()
    undone = undo(owner, done.undo)
    assert (undone.name, undone.links) == ("读书", 2)
    assert names(a) == {"读书", "x"} and names(b) == {"读书"} and names(c) == {"x"}
    assert not Link.objects.filter(pk=gone.pk).exists()
    assert Tag.objects.get(owner=owner, name="读书").watch_every == "day"
    assert names(theirs) == {"读书"} and Tag.objects.filter(name="读书").count() == 2


def test_undo_a_merge_splits_the_tags_again(owner):
    both = add_link(owner, "https://example.com/both", tags=["news", "新闻"]).link
    only_source = add_link(owner, "https://example.com/src", tags=["news"]).link
    only_target = add_link(owner, "https://example.com/dst", tags=["新闻"]).link
    done = merge_tags(owner, "news", "新闻")
    assert names(only_source) == {"新闻"} and done.links == 2
    undo(owner, done.undo)
    assert names(both) == {"news", "新闻"}
    assert names(only_source) == {"news"}
    assert names(only_target) == {"新闻"}


def test_undo_from_the_tags_page(owner):
    link = add_link(owner, "https://example.com/a", tags=["稍后读"]).link
    client = client_for(owner)
    client.post("/tags/稍后读/edit/", {"action": "delete-confirmed"})
    token = client.session["tag_undo"]
    page = client.get("/tags/").content.decode()
    assert f'name="token" value="{token}"' in page
    done = client.post("/tag-undo/", {"token": token}, follow=True)
    assert "已撤销：标签「稍后读」已回到 1 个链接上。" in done.content.decode()
    assert names(link) == {"稍后读"}
