"""Renaming a tag onto another tag of the person's asks 标签「X」已存在，合并吗？ and merges
only on yes; the merge can be undone. Another person's tag of that name does not count."""

import pytest

from linkhome.links.models import Link, Tag
from linkhome.links.services import add_link
from linkhome.testing.factories import client_for

pytestmark = pytest.mark.django_db


def names(link) -> set[str]:
    return {t.name for t in Link.objects.get(pk=link.pk).tags.all()}


def test_rename_onto_an_existing_tag_asks_then_merges(owner):
    a = add_link(owner, "https://example.com/a", tags=["py"]).link
    b = add_link(owner, "https://example.com/b", tags=["python"]).link
    client = client_for(owner)
    asked = client.post("/tags/py/edit/", {"action": "rename", "other": "python"})
    page = asked.content.decode()
    assert asked.status_code == 200 and "标签「python」已存在，把「py」合并进去吗？" in page
    assert 'value="merge-confirmed"' in page and 'name="other" value="python"' in page
    assert names(a) == {"py"} and names(b) == {"python"}  # nothing yet
    done = client.post("/tags/py/edit/", {"action": "merge-confirmed", "other": "python"})
    assert done.status_code == 302 and done["Location"] == "/tags/"
    assert names(a) == names(b) == {"python"}
    assert not Tag.objects.filter(owner=owner, name="py").exists()
    client.post("/tag-undo/", {"token": client.session["tag_undo"]})
    assert names(a) == {"py"} and names(b) == {"python"}


def test_the_merge_button_asks_too(owner):
    add_link(owner, "https://example.com/a", tags=["a", "b"])
    asked = client_for(owner).post("/tags/a/edit/", {"action": "merge", "other": "b"})
    assert asked.status_code == 200 and 'value="merge-confirmed"' in asked.content.decode()
    assert Tag.objects.filter(owner=owner, name="a").exists()


def test_someone_elses_tag_of_that_name_is_not_a_clash(owner, other_user):
    add_link(other_user, "https://example.com/x", tags=["秘密"], visibility="private")
    link = add_link(owner, "https://example.com/a", tags=["公开"]).link
    response = client_for(owner).post("/tags/公开/edit/", {"action": "rename", "other": "秘密"})
    assert response.status_code == 302  # renamed straight away, nothing of theirs shown
    assert names(link) == {"秘密"}
    assert Tag.objects.filter(name="秘密").count() == 2
    merged = client_for(owner).post("/tags/秘密/edit/", {"action": "merge", "other": "nope"})
    assert merged.status_code == 302
