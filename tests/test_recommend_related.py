"""More like this: related snapshots by their text, with privacy and exclusions."""

import pytest

from linkhome.links.models import Link
from linkhome.links.services import add_link
from linkhome.recommend.models import Profile
from linkhome.recommend.related import related_snapshots
from linkhome.testing.factories import kept
from tests.recommend_support import FOOTBALL_EN, FOOTBALL_ZH, STOCKS_EN, STOCKS_ZH, urls

pytestmark = pytest.mark.django_db


def test_chinese_pages_on_the_same_subject_come_first(owner, other_user):
    page = kept(owner, "https://a.example/zh/0", FOOTBALL_ZH[0], title="国家队公布名单")
    for n, text in enumerate(FOOTBALL_ZH[1:], 1):
        kept(other_user, f"https://b.example/zh/f{n}", text)
    for n, text in enumerate(STOCKS_ZH):
        kept(other_user, f"https://c.example/zh/s{n}", text)
    found = urls(related_snapshots(page))
    assert sorted(found[:3]) == [f"https://b.example/zh/f{n}" for n in (1, 2, 3)]
    assert not any("/zh/s" in url for url in found)  # nothing in common: not shown at all


def test_english_pages_on_the_same_subject_come_first(owner, other_user):
    page = kept(owner, "https://a.example/en/0", FOOTBALL_EN[0], title="Home side wins")
    for n, text in enumerate(FOOTBALL_EN[1:], 1):
        kept(other_user, f"https://b.example/en/f{n}", text)
    for n, text in enumerate(STOCKS_EN):
        kept(other_user, f"https://c.example/en/s{n}", text)
    found = urls(related_snapshots(page))
    assert sorted(found[:2]) == ["https://b.example/en/f1", "https://b.example/en/f2"]
    assert not any("/en/s" in url for url in found)


def test_a_private_snapshot_is_never_recommended_not_even_to_its_owner(owner, other_user):
    """The list takes no viewer: its owner gets the same public-only list as everyone."""
    page = kept(owner, "https://a.example/p", FOOTBALL_EN[0])
    kept(other_user, "https://b.example/secret", FOOTBALL_EN[1], visibility="private")
    kept(other_user, "https://b.example/open", FOOTBALL_EN[2])
    assert urls(related_snapshots(page)) == ["https://b.example/open"]


def test_a_private_page_gets_public_neighbours(owner, other_user):
    page = kept(owner, "https://a.example/p", FOOTBALL_EN[0], visibility="private")
    kept(other_user, "https://b.example/open", FOOTBALL_EN[2])
    assert urls(related_snapshots(page)) == ["https://b.example/open"]


def test_a_link_made_private_leaves_every_list_at_once(owner, other_user):
    page = kept(owner, "https://a.example/p", FOOTBALL_EN[0])
    other = kept(other_user, "https://b.example/q", FOOTBALL_EN[1])
    assert urls(related_snapshots(page)) == ["https://b.example/q"]
    Link.objects.filter(pk=other.link_id).update(visibility="private")  # behind every signal
    assert related_snapshots(page) == []


def test_a_link_made_public_joins_its_neighbours_lists(owner, other_user):
    page = kept(owner, "https://a.example/p", FOOTBALL_EN[0])
    other = kept(other_user, "https://b.example/q", FOOTBALL_EN[1], visibility="private")
    assert related_snapshots(page) == []
    add_link(other_user, "https://b.example/q", visibility="public")
    assert urls(related_snapshots(page)) == ["https://b.example/q"]
    assert urls(related_snapshots(other)) == ["https://a.example/p"]


def test_a_new_page_appears_in_the_lists_of_older_pages_like_it(owner, other_user):
    pages = [kept(owner, f"https://a.example/{n}", text) for n, text in enumerate(FOOTBALL_EN)]
    news = "Football news: the manager, the striker, the midfield and defence before the cup."
    kept(other_user, "https://b.example/new", news)
    for page in pages[:2]:
        assert "https://b.example/new" in urls(related_snapshots(page))


def test_a_deleted_neighbour_leaves_the_list_at_once(owner, other_user):
    page = kept(owner, "https://a.example/p", FOOTBALL_EN[0])
    other = kept(other_user, "https://b.example/q", FOOTBALL_EN[1])
    Link.objects.filter(pk=other.link_id).delete()
    assert related_snapshots(page) == []


def test_the_page_itself_its_other_snapshots_and_copies_are_left_out(owner, other_user):
    page = kept(owner, "https://a.example/p", FOOTBALL_EN[0])
    kept(owner, "https://a.example/p", FOOTBALL_EN[0])  # a recapture: the same link
    add_link(owner, "https://a.example/p", recapture=True)  # queued
    kept(other_user, "https://a.example/p", FOOTBALL_EN[1])  # the same address, another keeper
    copy = FOOTBALL_EN[0].replace("twice", "two goals")  # the same text under another address
    kept(other_user, "https://mirror.example/copy", copy)
    kept(other_user, "https://b.example/other", FOOTBALL_EN[2])
    assert urls(related_snapshots(page)) == ["https://b.example/other"]


def test_of_two_copies_of_one_article_only_one_is_shown(owner, other_user):
    page = kept(owner, "https://a.example/p", FOOTBALL_ZH[0])
    kept(other_user, "https://b.example/one", FOOTBALL_ZH[1])
    kept(other_user, "https://c.example/same-one", FOOTBALL_ZH[1] + "（转载）")
    found = urls(related_snapshots(page))
    assert len([u for u in found if u.endswith("one")]) == 1


def test_the_newest_finished_snapshot_of_a_related_link_is_shown(owner, other_user):
    page = kept(owner, "https://a.example/p", FOOTBALL_EN[0])
    kept(other_user, "https://b.example/q", FOOTBALL_EN[1])
    newer = kept(other_user, "https://b.example/q", FOOTBALL_EN[2])
    add_link(other_user, "https://b.example/q", recapture=True)  # queued: not shown
    assert related_snapshots(page) == [newer]


def test_early_profiles_are_weighed_again_as_the_index_grows(owner, other_user):
    first = kept(owner, "https://a.example/0", FOOTBALL_EN[0])
    assert Profile.objects.get(link=first.link).index_size == 1
    for n, text in enumerate(FOOTBALL_EN[1:] + STOCKS_EN):
        kept(other_user, f"https://b.example/{n}", text)
    assert Profile.objects.get(link=first.link).index_size >= 4
    assert Profile.objects.get(link=first.link).terms  # words others have too


def test_a_page_indexed_before_recommendations_existed_gets_its_profile_on_first_view(
    owner, other_user
):
    page = kept(owner, "https://a.example/p", FOOTBALL_EN[0])
    kept(other_user, "https://b.example/q", FOOTBALL_EN[1])
    Profile.objects.all().delete()
    assert urls(related_snapshots(page)) == ["https://b.example/q"]


def test_a_deleted_link_takes_its_profile_along(owner):
    page = kept(owner, "https://a.example/p", FOOTBALL_EN[0])
    page.link.delete()
    assert not Profile.objects.exists()
