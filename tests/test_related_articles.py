"""相关文章推荐: the sidebar's contract (more like this is in tests/test_recommend_related.py)."""

import random

import pytest

from linkhome.accounts.services import nickname_of
from linkhome.links.services import add_link
from linkhome.recommend.related import related_snapshots
from linkhome.testing import factories
from linkhome.testing.factories import client_for, finished

pytestmark = pytest.mark.django_db


def kept(user, url: str, *, title: str = "", **options):
    """The shared factory, titled with the URL unless told: these pages are about tags."""
    return factories.kept(user, url, title=title or url, **options)


WORDS = "django flask python web framework templates routing orm views forms api"


def words_in_order(seed: int) -> str:
    """The same words in another order: as close in text as can be, yet no copy (MinHash)."""
    words = WORDS.split()
    random.Random(seed).shuffle(words)
    return " ".join(words)


def test_between_equally_close_texts_shared_tags_rank_higher_then_the_same_site(owner, other_user):
    # Text ranks first (tests/test_recommend_related.py); tags and the site decide ties.
    page = kept(
        owner, "https://a.example/x", tags=["python", "web"], title="Alpha", text=words_in_order(0)
    )
    one = kept(
        other_user, "https://b.example/one", tags=["python"], title="Bravo", text=words_in_order(1)
    )
    two = kept(
        other_user,
        "https://c.example/two",
        tags=["python", "web"],
        title="Charlie",
        text=words_in_order(2),
    )
    site = kept(other_user, "https://a.example/other", title="Delta", text=words_in_order(3))
    kept(
        other_user,
        "https://d.example/pie",
        tags=["cooking"],
        title="Echo",
        text="Bake the apple pie slowly.",
    )
    assert related_snapshots(page) == [two, one, site]


def test_private_links_unfinished_captures_and_copies_of_the_page_are_left_out(owner, other_user):
    page = kept(owner, "https://a.example/x", tags=["python"])
    kept(other_user, "https://b.example/secret", tags=["python"], visibility="private")
    kept(other_user, "https://a.example/x", tags=["python"])  # the same page, kept by another
    add_link(other_user, "https://b.example/queued", tags=["python"])
    failed = add_link(other_user, "https://b.example/failed", tags=["python"])
    finished(failed.snapshot, "failed", "no")
    assert related_snapshots(page) == []


def test_the_newest_finished_snapshot_of_a_related_link_is_shown(owner, other_user):
    page = kept(owner, "https://a.example/x", tags=["t"])
    old = kept(other_user, "https://b.example/y", tags=["t"])
    add_link(other_user, "https://b.example/y", recapture=True)  # queued, not shown
    assert related_snapshots(page) == [old]


def test_the_sidebar_shows_title_nickname_and_relative_time(owner, other_user):
    page = kept(owner, "https://a.example/x", tags=["html"])
    long_title = "Html5 新特性详解：语义化标签、本地存储与离线应用的完整指南"
    kept(other_user, "https://b.example/h", tags=["html"], title=long_title)
    html = client_for().get(f"/s/{page.pk}/").content.decode()
    sidebar = html.split('id="related"', 1)[1].split("</aside>", 1)[0]
    assert "相关文章推荐" in sidebar
    assert "Html5 新特性详解" in sidebar and "…" in sidebar and long_title + "<" not in sidebar
    assert nickname_of(other_user) in sidebar and "刚刚" in sidebar


def test_a_private_snapshot_never_appears_in_anyones_sidebar(owner, other_user):
    secret = kept(
        owner, "https://a.example/secret", tags=["t"], title="绝密文章", visibility="private"
    )
    public = kept(other_user, "https://b.example/p", tags=["t"])
    for viewer in (None, other_user):
        page = client_for(viewer).get(f"/s/{public.pk}/").content.decode()
        assert "绝密文章" not in page and f"/s/{secret.pk}/" not in page
