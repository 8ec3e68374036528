"""The query language against the index, on SQLite (FTS5) and PostgreSQL (tsvector) alike."""

from datetime import datetime

import pytest
from django.utils import timezone

from linkhome.search import api
from linkhome.testing.factories import kept
from tests.search_support import found, found_set

pytestmark = pytest.mark.django_db


def day(text: str) -> datetime:
    return timezone.make_aware(datetime.fromisoformat(text))


@pytest.fixture
def pages(owner, other_user):
    return {
        "ml": kept(
            owner,
            "https://ml.example.com/a",
            title="机器学习入门",
            text="机器学习是人工智能的一个分支。",
            tags=["AI"],
        ),
        "reversed": kept(
            other_user,
            "https://blog.test/b",
            title="杂谈",
            text="学习机器的操作方法，以及人工智能。",
        ),
        "english": kept(
            other_user,
            "https://news.test/c",
            title="Machine learning news",
            text="Deep learning machine translation.",
        ),
        "ads": kept(
            owner,
            "https://ads.example.org/d",
            title="人工智能广告",
            text="购买人工智能课程，限时优惠。",
            tags=["广告"],
        ),
    }


def test_every_word_must_match(pages):
    assert found_set(None, "人工智能") == {pages["ml"].pk, pages["reversed"].pk, pages["ads"].pk}
    assert found_set(None, "人工智能 机器") == {pages["ml"].pk, pages["reversed"].pk}


def test_a_chinese_phrase_matches_only_as_written(pages):
    assert found(None, '"机器学习"') == [pages["ml"].pk]
    assert found(None, '"学习机器"') == [pages["reversed"].pk]


def test_a_latin_phrase_needs_its_words_adjacent_and_in_order(pages):
    assert found(None, '"machine learning"') == [pages["english"].pk]
    assert found(None, '"learning machine"') == [
        pages["english"].pk
    ]  # "…learning machine translation"
    assert found(None, '"machine deep"') == []


def test_excluded_words_and_phrases(pages):
    assert found_set(None, "人工智能 -广告") == {pages["ml"].pk, pages["reversed"].pk}
    assert found_set(None, '人工智能 -"学习机器"') == {pages["ml"].pk, pages["ads"].pk}
    assert found(None, 'learning -"machine translation"') == []


def test_tag_filter_is_exact_and_ignores_latin_case(pages):
    assert found(None, "tag:ai") == [pages["ml"].pk]
    assert found(None, "人工智能 tag:广告") == [pages["ads"].pk]
    assert found_set(None, "人工智能 -tag:广告") == {pages["ml"].pk, pages["reversed"].pk}
    assert found(None, "tag:广") == []  # not a prefix match


def test_site_filter_includes_subdomains(pages):
    assert found_set(None, "site:example.com") == {pages["ml"].pk}
    assert found_set(None, "site:ads.example.org") == {pages["ads"].pk}
    assert found_set(None, "site:example.org") == {pages["ads"].pk}
    assert found(None, "site:ample.com") == []
    assert found_set(None, "人工智能 -site:example.org") == {pages["ml"].pk, pages["reversed"].pk}


def test_before_and_after_are_on_the_capture_day(owner):
    old = kept(owner, "https://a.test/old", text="季度报告", captured=day("2023-12-31T23:30:00"))
    new = kept(owner, "https://a.test/new", text="季度报告", captured=day("2024-01-01T00:10:00"))
    assert found(None, "季度报告 after:2024-01-01") == [new.pk]
    assert found(None, "季度报告 before:2024-01-01") == [old.pk]
    assert found(None, "after:2023-12-31 before:2024-01-01") == [old.pk]


def test_is_mine_keeps_only_your_own(pages, owner, other_user):
    assert found_set(owner, "人工智能 is:mine") == {pages["ml"].pk, pages["ads"].pk}
    assert found_set(other_user, "is:mine") == {pages["reversed"].pk, pages["english"].pk}
    assert found(None, "is:mine") == []


def test_filters_alone_list_newest_first(owner):
    first = kept(
        owner, "https://a.test/1", text="一", tags=["t"], captured=day("2024-01-01T00:00:00")
    )
    second = kept(
        owner, "https://a.test/2", text="二", tags=["t"], captured=day("2024-02-01T00:00:00")
    )
    assert found(None, "tag:t") == [second.pk, first.pk]
    assert found(None, "tag:t -二") == [first.pk]


def test_full_width_and_upper_case_queries_match(pages):
    assert found(None, "ＭＡＣＨＩＮＥ") == [pages["english"].pk]


def test_a_word_inside_a_longer_one_is_found(owner):
    page = kept(owner, "https://a.test/p", text="中华人民共和国成立七十周年")
    for word in ("人民", "共和国", "人民共和国", "中华人民共和国"):
        assert found(None, word) == [page.pk], word


def test_titles_tags_sites_and_urls_are_searched(owner):
    page = kept(
        owner,
        "https://docs.rust-lang.org/book/ownership.html",
        title="所有权",
        text="正文",
        tags=["编程语言"],
    )
    for query in ("所有权", "编程语言", "rust", "ownership", "docs.rust-lang.org"):
        assert found(None, query) == [page.pk], query


def test_an_empty_query_or_punctuation_finds_nothing(pages):
    assert api.search(None, "").hits == [] and api.search(None, "，。！").total == 0


def test_a_malformed_date_is_an_error_for_the_person(pages):
    with pytest.raises(api.QueryError, match="YYYY-MM-DD"):
        api.search(None, "before:tomorrow")


def test_tags_and_sites_narrow_through_the_index_but_match_exactly(owner):
    cpp = kept(owner, "https://cpp.test/a", text="指针", tags=["C++"])
    c = kept(owner, "https://c.test/b", text="指针", tags=["C"])
    bang = kept(owner, "https://x.test/c", text="指针", tags=["！！"])  # no index tokens at all
    evil = kept(owner, "https://example.com.evil.test/d", text="指针")
    sub = kept(owner, "https://news.example.com/e", text="指针")
    assert found(None, "tag:c++") == [cpp.pk] and found(None, "tag:C") == [c.pk]
    assert found(None, "tag:！！ 指针") == [bang.pk]
    assert found(None, "site:example.com") == [sub.pk]
    assert found(None, "指针 site:evil.test") == [evil.pk]
