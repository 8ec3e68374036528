import pytest

from linkhome.links import queries
from linkhome.links.models import Tag
from linkhome.links.services import add_link
from linkhome.links.tags import (
    NameTaken,
    TagError,
    delete_tag,
    merge_tags,
    rename_tag,
    tag_counts,
    tag_links,
)

pytestmark = pytest.mark.django_db


def names(link) -> set[str]:
    link.refresh_from_db()
    return {t.name for t in link.tags.all()}


def test_rename_keeps_the_links(owner):
    link = add_link(owner, "https://example.com/a", tags=["py"]).link
    rename_tag(owner, "py", "python")
    assert names(link) == {"python"}


def test_renaming_onto_an_existing_name_asks_instead_of_merging(owner):
    a = add_link(owner, "https://example.com/a", tags=["py"]).link
    b = add_link(owner, "https://example.com/b", tags=["python"]).link
    with pytest.raises(NameTaken) as taken:
        rename_tag(owner, "py", " python ")
    assert taken.value.params == {"name": "python"}
    assert names(a) == {"py"} and names(b) == {"python"}


def test_merge_moves_links_and_removes_the_source(owner):
    a = add_link(owner, "https://example.com/a", tags=["新闻", "news"]).link
    b = add_link(owner, "https://example.com/b", tags=["news"]).link
    merge_tags(owner, "news", "新闻")
    assert names(a) == names(b) == {"新闻"}
    assert not Tag.objects.filter(owner=owner, name="news").exists()


def test_delete_keeps_the_links(owner):
    link = add_link(owner, "https://example.com/a", tags=["x", "y"]).link
    delete_tag(owner, "x")
    assert names(link) == {"y"}


def test_tags_are_per_person(owner, other_user):
    add_link(other_user, "https://example.com/a", tags=["theirs"])
    with pytest.raises(TagError, match="no tag named theirs"):
        rename_tag(owner, "theirs", "mine")
    with pytest.raises(TagError):
        delete_tag(owner, "theirs")


def test_the_tag_cloud_counts_uses(owner):
    add_link(owner, "https://example.com/a", tags=["a", "b"])
    add_link(owner, "https://example.com/b", tags=["a"])
    assert [(t.name, t.uses) for t in tag_counts(owner)] == [("a", 2), ("b", 1)]


def test_bulk_tag_and_untag(owner, other_user):
    links = [add_link(owner, f"https://example.com/{n}").link for n in range(3)]
    assert tag_links(owner, links, ["todo"]) == 3
    assert queries.owned_links(owner, ["todo"]).count() == 3
    assert tag_links(owner, links[:2], ["todo"], remove=True) == 2
    assert queries.owned_links(owner, ["todo"]).count() == 1
    theirs = add_link(other_user, "https://example.com/x").link
    with pytest.raises(TagError):
        tag_links(owner, [theirs], ["mine"])


def test_filtering_by_several_tags_needs_all_of_them(owner):
    add_link(owner, "https://example.com/1", tags=["a", "b"])
    add_link(owner, "https://example.com/2", tags=["a"])
    assert [link.url for link in queries.owned_links(owner, ["a", "b"])] == [
        "https://example.com/1"
    ]
