"""Tag suggestions: the page's keywords, steered toward tags that already exist."""

import pytest
from django.core.cache import cache

from linkhome.accounts.services import create_user
from linkhome.links.services import add_link
from linkhome.recommend.suggestions import suggest_tags, suggest_tags_for_url
from linkhome.testing.factories import kept
from tests.recommend_support import FOOTBALL_EN, FOOTBALL_ZH, STOCKS_EN, STOCKS_ZH

pytestmark = pytest.mark.django_db

ZH_ARTICLE = (
    "人工智能大模型正在改变软件开发。越来越多的开发者使用大模型生成代码、编写测试，"
    "人工智能助手可以解释代码中的错误。专家认为，大模型提高了软件开发的效率，"
    "但开发者仍需审查人工智能生成的代码。"
)
EN_ARTICLE = (
    "Volcanoes in Iceland erupted again this week. Lava flows reached the town's defences, "
    "and geologists expect the eruption to continue for weeks. Volcanoes on the peninsula "
    "had been quiet for eight centuries before the eruptions began."
)


@pytest.fixture(autouse=True)
def fresh_cache():
    cache.clear()  # the platform's common tags are cached for minutes


def test_chinese_keywords_are_whole_words(owner):
    tags = suggest_tags(owner, ZH_ARTICLE)
    assert "人工智能" in tags and "软件开发" in tags
    assert all(len(tag) > 1 for tag in tags)


def test_english_keywords_skip_function_words(owner):
    tags = suggest_tags(owner, EN_ARTICLE)
    assert "volcanoes" in tags[:3]
    assert not {"the", "and", "for", "had"} & set(tags)


def test_a_snapshot_is_suggested_from_its_text_without_the_tags_it_has(owner):
    snapshot = kept(owner, "https://a.example/v", EN_ARTICLE, title="Iceland", tags=["lava"])
    tags = suggest_tags(owner, snapshot)
    assert "iceland" in tags and "lava" not in tags


def test_the_persons_own_tag_wins_in_its_own_spelling(owner):
    add_link(owner, "https://a.example/old", tags=["Eruption"])
    tags = suggest_tags(owner, EN_ARTICLE)
    assert "Eruption" in tags and "eruption" not in tags
    assert tags.index("Eruption") < 3


def test_an_existing_tag_the_page_mentions_is_offered_even_if_not_a_top_keyword(owner):
    add_link(owner, "https://a.example/old", tags=["defences"])
    assert "defences" in suggest_tags(owner, EN_ARTICLE, limit=5)
    assert "defences" not in suggest_tags(create_user("fresh", "pw-fresh-1"), EN_ARTICLE, limit=5)


def test_a_tag_common_on_the_platform_is_preferred_to_a_new_word(owner, other_user):
    third = create_user("third", "pw-third-1")
    for user in (other_user, third):
        for n in range(2):
            add_link(user, f"https://c.example/{n}", tags=["Football"])
    tags = suggest_tags(owner, FOOTBALL_EN[1])
    assert tags[0] == "Football"


def test_common_tags_count_public_links_only(owner, other_user):
    third = create_user("third", "pw-third-1")
    for user in (other_user, third):
        for n in range(2):
            add_link(user, f"https://c.example/{n}", tags=["Football"], visibility="private")
    assert "Football" not in suggest_tags(owner, FOOTBALL_EN[1])


def test_chinese_existing_tags_are_found_in_the_text(owner):
    add_link(owner, "https://a.example/old", tags=["世界杯"])
    assert suggest_tags(owner, FOOTBALL_ZH[0])[0] == "世界杯"
    assert "世界杯" not in suggest_tags(owner, STOCKS_ZH[0])


def test_before_capture_the_tags_used_on_the_same_site_are_offered(owner, other_user):
    add_link(owner, "https://news.example/a", tags=["新闻", "体育"])
    add_link(owner, "https://news.example/b", tags=["新闻"])
    add_link(other_user, "https://news.example/c", tags=["别人的"])
    assert suggest_tags_for_url(owner, "https://news.example/new") == ["新闻", "体育"]
    assert suggest_tags_for_url(owner, "https://elsewhere.example/") == []


def test_an_empty_text_has_no_suggestions(owner):
    assert suggest_tags(owner, "") == []
    assert suggest_tags(owner, STOCKS_EN[0])  # and a short one has some
