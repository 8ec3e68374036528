"""An undo after its window, by another person, or with an altered token is refused with a
clear message in the reader's language, and changes nothing."""

import time

import pytest
from django.test import override_settings

from linkhome.links.models import Link, Tag
from linkhome.links.services import add_link
from linkhome.links.tags import TagError, delete_tag, undo
from linkhome.testing.factories import client_for

pytestmark = pytest.mark.django_db


def test_too_late(owner, settings):
    add_link(owner, "https://example.com/a", tags=["旧"])
    done = delete_tag(owner, "旧")
    with pytest.raises(TagError, match="too late to undo"):
        undo(owner, done.undo, now=time.time() + settings.UNDO_SECONDS + 1)
    assert not Tag.objects.filter(owner=owner, name="旧").exists()


def test_someone_elses_token_or_an_altered_one(owner, other_user):
    mine = add_link(owner, "https://example.com/a", tags=["旧"]).link
    theirs = add_link(other_user, "https://example.com/b").link
    done = delete_tag(owner, "旧")
    with pytest.raises(TagError, match="only the person who made this change"):
        undo(other_user, done.undo)
    with pytest.raises(TagError, match="not valid"):
        undo(owner, done.undo[:-2] + "xx")
    assert not Tag.objects.filter(name="旧").exists()
    assert list(Link.objects.get(pk=theirs.pk).tags.all()) == []
    assert list(Link.objects.get(pk=mine.pk).tags.all()) == []


@pytest.mark.parametrize(
    ("language", "late", "other"),
    [
        ("zh-hans", "来不及撤销了", "只有做出这次修改的人才能撤销"),
        ("en", "too late to undo", "only the person who made this change can undo it"),
    ],
)
def test_refusals_on_the_page_in_both_languages(owner, other_user, language, late, other):
    add_link(owner, "https://example.com/a", tags=["旧"])
    with override_settings(UNDO_SECONDS=-1):  # a deadline already past
        expired = delete_tag(owner, "旧").undo
    add_link(owner, "https://example.com/b", tags=["新"])
    fresh = delete_tag(owner, "新").undo
    lang = {"HTTP_ACCEPT_LANGUAGE": language}
    page = client_for(owner).post("/tag-undo/", {"token": expired}, follow=True, **lang)
    assert late in page.content.decode()
    page = client_for(other_user).post("/tag-undo/", {"token": fresh}, follow=True, **lang)
    assert other in page.content.decode()
    assert not Tag.objects.filter(name__in=["旧", "新"]).exists()
