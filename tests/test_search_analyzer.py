"""Text becomes search tokens the same way for pages and queries: jieba's search-engine mode
for Chinese, lower-cased words for Latin scripts, NFKC for full-width forms, numbers kept,
punctuation dropped."""

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.test import override_settings

from linkhome.search import analyzers, matching


def test_a_long_chinese_word_yields_the_words_inside_it_and_itself():
    tokens = analyzers.tokens("中华人民共和国")
    assert {"人民", "共和国", "中华人民共和国"} <= set(tokens)
    assert tokens[-1] == "中华人民共和国"  # shorter words first, then the whole


def test_two_and_four_character_words_are_tokens():
    tokens = analyzers.tokens("北京大学的学生在图书馆读书")
    assert {"北京", "大学", "北京大学", "学生", "图书馆", "读书"} <= set(tokens)


def test_mixed_chinese_and_latin_text_is_cut_at_the_script_boundary():
    assert analyzers.tokens("用Python写爬虫，iPhone15手机") == [
        "用",
        "python",
        "写",
        "爬虫",
        "iphone15",
        "手机",
    ]


def test_full_width_letters_and_digits_fold_to_ascii():
    assert analyzers.tokens("ＡＢＣ１２３ Ｐｙｔｈｏｎ") == ["abc123", "python"]
    assert analyzers.tokens("①号") == ["1", "号"]


def test_numbers_are_kept_and_punctuation_dropped():
    assert analyzers.tokens("2024年，销量增长3.5%！COVID-19…") == [
        "2024",
        "年",
        "销量",
        "增长",
        "3",
        "5",
        "covid",
        "19",
    ]
    assert analyzers.tokens("《》、。！？“”——……") == []


def test_latin_words_are_lower_cased_and_accents_kept():
    assert analyzers.tokens("Émile ZOLA naïve café") == ["émile", "zola", "naïve", "café"]


def test_over_long_runs_are_not_indexed():
    assert analyzers.tokens("a" * 65 + " short") == ["short"]


def test_a_query_word_is_analysed_like_the_page():
    assert matching.word_expr("人民") == matching.Term("人民")
    assert matching.word_expr("ＣＯＶＩＤ-19") == matching.Phrase(("covid", "19"))
    # One word as the page may have cut it, or its parts.
    expr = matching.word_expr("人民共和国")
    assert matching.Term("人民共和国") in expr.items
    assert (
        matching.All((matching.Term("人民"), matching.Term("共和"), matching.Term("共和国")))
        in expr.items
    )


@pytest.fixture
def fresh_tokenizer():
    analyzers.tokenizer.cache_clear()
    yield
    analyzers.tokenizer.cache_clear()


def test_a_user_dictionary_adds_words(tmp_path, fresh_tokenizer):
    assert "链接之家" not in analyzers.tokens("欢迎使用链接之家")
    before = analyzers.fingerprint()
    words = tmp_path / "words.txt"
    words.write_text("链接之家 100 n\n", encoding="utf-8")
    with override_settings(SEARCH_USER_DICT=str(words)):
        analyzers.tokenizer.cache_clear()
        assert "链接之家" in analyzers.tokens("欢迎使用链接之家")
        assert analyzers.fingerprint() != before  # so the index is rebuilt


def test_a_missing_user_dictionary_fails_loudly(fresh_tokenizer):
    with (
        override_settings(SEARCH_USER_DICT="/nonexistent/words.txt"),
        pytest.raises(ImproperlyConfigured, match="LINKHOME_SEARCH_USER_DICT"),
    ):
        analyzers.tokens("你好")
