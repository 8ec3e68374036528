"""Snippets come from the page's own text: Chinese is never cut inside a character or shown
with spaces between words, hits are marked, everything else is escaped."""

import re
from html import unescape

import pytest

from linkhome.search import api, highlight, matching
from linkhome.search.query import parse
from linkhome.testing.factories import kept

LONG_TEXT = (
    "据新华社北京电，国家统计局今天发布数据。"
    + "今年前三季度，全国居民人均可支配收入稳步增长，消费市场持续恢复。" * 6
    + "专家指出，人工智能产业将成为新的经济增长点，中华人民共和国的科技创新能力不断提升。"
    + "与此同时，各地继续推进乡村振兴。" * 6
)


def pattern(query: str) -> re.Pattern:
    return highlight.compile_terms(matching.plan(parse(query)).highlight)


def shown_text(snippet: str) -> str:
    return unescape(re.sub(r"</?mark>", "", snippet)).strip("…")


def marked(snippet: str) -> list[str]:
    return re.findall(r"<mark>(.*?)</mark>", snippet)


def test_the_window_is_where_the_words_are_and_is_original_text():
    snippet = highlight.snippet(LONG_TEXT, pattern("人工智能 科技"))
    assert snippet.startswith("…") and snippet.endswith("…")
    assert marked(snippet) == ["人工智能", "科技"]
    assert shown_text(snippet) in LONG_TEXT  # no character lost, no space inserted


def test_a_two_character_word_inside_a_longer_one_is_marked():
    snippet = highlight.snippet(LONG_TEXT, pattern("人民"))
    assert "中华<mark>人民</mark>共和国" in snippet


def test_the_longest_query_word_is_marked_whole():
    assert marked(highlight.snippet(LONG_TEXT, pattern("中华人民共和国"))) == ["中华人民共和国"]


def test_a_text_without_hits_shows_its_beginning():
    snippet = highlight.snippet(LONG_TEXT, pattern("不存在的词"))
    assert snippet.startswith("据新华社北京电") and "<mark>" not in snippet


def test_latin_words_are_marked_whole_and_case_and_width_do_not_matter():
    text = "She said AI is everywhere; ＡＩ chips and Ai tools, but not maid or aid."
    assert marked(highlight.snippet(text, pattern("ai"))) == ["AI", "ＡＩ", "Ai"]


def test_a_phrase_is_marked_across_any_spacing():
    text = "We use machine\n  learning every day."
    assert highlight.snippet(text, pattern('"machine learning"')) == (
        "We use <mark>machine learning</mark> every day."
    )


def test_markup_in_the_text_is_escaped():
    snippet = highlight.snippet("<script>alert('人工智能')</script>", pattern("人工智能"))
    assert snippet == "&lt;script&gt;alert(&#x27;<mark>人工智能</mark>&#x27;)&lt;/script&gt;"


@pytest.mark.parametrize(
    "text",
    [
        "e\u0301" * 200 + " 人工智能 " + "e\u0301" * 200,  # combining accents
        "👍🏽" * 200 + "人工智能" + "👍🏽" * 200,  # skin tones
        "葛\U000e0100" * 200 + "人工智能" + "葛\U000e0100" * 200,  # ideographic variation
    ],
)
def test_a_cut_never_separates_a_mark_from_its_character(text):
    snippet = highlight.snippet(text, pattern("人工智能"))
    shown = shown_text(snippet).strip()
    assert shown in text
    start = text.index(shown)
    end = start + len(shown)
    assert not highlight._attached(text[start]) and (
        end == len(text) or not highlight._attached(text[end])
    )


def test_a_cut_does_not_split_a_latin_word():
    text = "x " + "internationalization " * 10 + "人工智能" + " internationalization" * 10
    shown = shown_text(highlight.snippet(text, pattern("人工智能"))).strip()
    assert (
        shown.split()[0] == "internationalization" and shown.split()[-1] == "internationalization"
    )


@pytest.mark.django_db
def test_search_results_carry_highlighted_snippets_and_titles(owner):
    kept(owner, "https://a.test/p", title="人工智能简报", text=LONG_TEXT)
    hit = api.search(None, "人工智能").hits[0]
    assert hit.title_html == "<mark>人工智能</mark>简报"
    assert marked(hit.snippet) == ["人工智能"]
    assert shown_text(hit.snippet) in LONG_TEXT
    assert "人工 智能" not in hit.snippet
