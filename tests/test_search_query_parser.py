"""The search box's query language, parsed (no database)."""

from datetime import date

import pytest
from django.utils import translation

from linkhome.search.query import ParsedQuery, QueryError, parse


def test_words_phrases_and_exclusions():
    query = parse('北京 大学 "机器 学习" -广告 -"hello world"')
    assert query.words == ["北京", "大学"]
    assert query.phrases == ["机器 学习"]
    assert query.excluded_words == ["广告"]
    assert query.excluded_phrases == ["hello world"]


def test_filters():
    query = parse(
        'tag:新闻 tag:"open source" -tag:旧 site:https://www.Example.com/x -site:ads.com '
        "after:2024-01-02 before:2024/3/1 is:mine"
    )
    assert query.tags == ["新闻", "open source"] and query.excluded_tags == ["旧"]
    assert query.sites == ["example.com"] and query.excluded_sites == ["ads.com"]
    assert (query.after, query.before) == (date(2024, 1, 2), date(2024, 3, 1))
    assert query.mine and not query.has_text


def test_full_width_punctuation_from_chinese_input_methods():
    query = parse("tag：新闻　“机器学习”　－广告　＂人工智能＂")
    assert query.tags == ["新闻"]
    assert query.phrases == ["机器学习", "人工智能"]
    assert query.excluded_words == ["广告"]


def test_operator_names_ignore_case_and_unknown_ones_are_text():
    assert parse("TAG:x Site:a.com").tags == ["x"]
    query = parse("http://example.com/a c++:x")
    assert query.words == ["http://example.com/a", "c++:x"]
    assert not query.sites


def test_an_unclosed_quote_runs_to_the_end():
    assert parse('"人工 智能').phrases == ["人工 智能"]


def test_hyphens_inside_words_are_not_exclusions():
    assert parse("covid-19 e-mail").words == ["covid-19", "e-mail"]


def test_empty_and_blank_queries_are_empty():
    assert parse("").is_empty and parse("   ").is_empty and parse('""').is_empty
    assert parse("") == ParsedQuery()


@pytest.mark.parametrize(
    "text, message",
    [
        ("before:2024-13-01", "not a date"),
        ("after:yesterday", "not a date"),
        ("-after:2024-01-01", "not supported"),
        ("is:public", "unknown filter"),
        ("-is:mine", "unknown filter"),
    ],
)
def test_filters_it_cannot_honour_are_errors(text, message):
    with translation.override("en"), pytest.raises(QueryError, match=message):
        parse(text)


def test_the_reason_is_said_in_the_language_active_when_it_is_shown():
    with pytest.raises(QueryError) as refused:
        parse("after:yesterday")
    with translation.override("zh-hans"):
        assert str(refused.value) == "after:yesterday 不是日期，请写成 YYYY-MM-DD 的形式"
    with translation.override("en"):
        assert str(refused.value) == "after:yesterday is not a date; write it as YYYY-MM-DD"
