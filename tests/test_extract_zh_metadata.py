"""Publish dates and authors on Chinese pages: one test per rule, and a quality gate.

The gate scores the ``report`` split of ``tests/data/zh-metadata`` (pages from sites the rules
were not tuned on; see its README) with ``bench/extract_quality.py`` and fails when a figure
drops below its floor. Floors sit one page under the figures measured when the rules were made.
"""

from __future__ import annotations

import datetime
import logging

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from linkhome.capture.steps.extract import extract
from linkhome.capture.steps.extract.labels import find_byline, find_fallback_author, is_person
from linkhome.capture.steps.extract.zh_dates import page_date, url_date
from linkhome.testing import extract_quality

URL = "https://news.example.cn/article/123.html"  # no date in it
PARAGRAPHS = "".join(
    f"<p>第{i}段：今年以来各地积极推进数字农机服务，农业生产效率明显提升，"
    "农民收入稳步增长，乡村振兴取得新进展，合作社和种粮大户纷纷加入。</p>"
    for i in range(1, 7)
)
NOW = datetime.datetime(2023, 1, 16, 15, 0)


def page(byline: str = "", head: str = "", top: str = "", footer: str = "") -> str:
    return f"""<!DOCTYPE html><html><head><meta charset="utf-8">{head}
<title>数字农机服务助力农业生产_新闻中心</title></head>
<body><div class="nav">{top}<a href="/">首页</a> | <a href="/gn/">国内</a></div>
<div class="main"><h1>数字农机服务助力农业生产</h1>
<div class="info">{byline}</div><div id="detail">{PARAGRAPHS}</div></div>
<div class="footer">{footer}</div></body></html>"""


def published(html: str, url: str = URL) -> datetime.date | None:
    return extract(html, url, captured=NOW).published


# --- dates ----------------------------------------------------------------------------------


def test_a_date_on_a_line_next_to_the_site_name_with_no_label() -> None:
    html = page("<p>2022年02月13日 09:57　光明网</p>")
    assert published(html) == datetime.date(2022, 2, 13)


def test_a_date_with_full_width_digits_and_year_month_day() -> None:
    assert published(page("<p>２０２３年１月１２日　人民日报</p>")) == datetime.date(2023, 1, 12)


@pytest.mark.parametrize(
    "meta",
    [
        '<meta name="ArticlePublishDate" content="2023-01-10 08:00">',
        '<meta name="pubtime" content="2023年01月10日">',
        '<meta name="weibo: article:create_at" content="2023-01-10 08:00:00">',
    ],
)
def test_chinese_cms_meta_names_for_the_publish_date(meta: str) -> None:
    assert published(page(head=meta)) == datetime.date(2023, 1, 10)


@pytest.mark.parametrize(
    "byline, day",
    [
        ("<p>3小时前　来源：新华网</p>", (2023, 1, 16)),
        ("<p>20小时前　来源：新华网</p>", (2023, 1, 15)),
        ("<p>2天前</p>", (2023, 1, 14)),
        ("<p>昨天 10:30</p>", (2023, 1, 15)),
    ],
)
def test_a_relative_date_is_read_against_the_capture_time(byline: str, day: tuple) -> None:
    assert published(page(byline)) == datetime.date(*day)


@pytest.mark.parametrize(
    "url, day",
    [
        ("http://www.news.cn/politics/2023-01/16/c_1129290001.htm", (2023, 1, 16)),
        ("http://www.gov.cn/xinwen/2023-01/16/content_5737220.htm", (2023, 1, 16)),
        ("http://www.scio.gov.cn/xwfb/t20230116_123.html", (2023, 1, 16)),
        ("http://business.sohu.com/20050311/n224643115.shtml", (2005, 3, 11)),
        ("http://news.example.cn/2023/01/16/story.html", (2023, 1, 16)),
    ],
)
def test_a_date_in_the_address(url: str, day: tuple) -> None:
    assert url_date(url, NOW.date()) == datetime.date(*day)
    assert published(page(), url) == datetime.date(*day)


def test_an_address_without_a_day_gives_no_date() -> None:
    assert url_date("http://example.cn/2023/12345678901.html", NOW.date()) is None


def test_a_copyright_year_and_a_visit_date_are_not_publish_dates() -> None:
    html = page(
        top="<span>今天是2023年1月16日 星期一</span>",
        footer="<p>Copyright © 2003-2023 版权所有</p>",
    )
    assert published(html) is None


def test_an_update_date_is_not_the_publish_date() -> None:
    html = page("<p>更新时间：2023-01-15 10:00</p><p>发布时间：2023-01-09 08:00</p>")
    assert published(html) == datetime.date(2023, 1, 9)


def test_a_labelled_date_without_colon_or_on_the_next_line() -> None:
    assert page_date(["发布时间 2005/05/17 22:11:42 by 眉间尺"], 0, NOW) == datetime.date(
        2005, 5, 17
    )
    assert page_date(["发布日期：", "9/17/2004 5:54:13 AM"], 0, NOW) == datetime.date(2004, 9, 17)


def test_the_first_dated_line_under_the_title_beats_a_comment_date_below() -> None:
    html = page("<p>2004-12-10 阅读10544次</p>", footer="<p>发表时间：2004-12-11 9:51:00</p>")
    assert published(html) == datetime.date(2004, 12, 10)


# Labels, noise and dates (real, impossible, future, too old) in any order and number.
_DATE_WORDS = st.sampled_from(
    [
        "发布时间",
        "时间：",
        "日期:",
        " ",
        "\n",
        "小时前",
        "天前",
        "昨天",
        "更新",
        "©",
        "星期一",
        "来源",
    ]
)
_DAYS = st.builds(
    "{}{}{}{}{}{}".format,
    st.integers(1980, 2040),
    st.sampled_from(["-", "/", ".", "年", " 年 "]),
    st.integers(0, 13),
    st.sampled_from(["-", "/", ".", "月"]),
    st.integers(0, 32),
    st.sampled_from(["", "日", " 10:30"]),
)


@settings(max_examples=60, deadline=None)
@given(st.lists(st.one_of(_DATE_WORDS, _DAYS), min_size=1, max_size=8).map("".join))
def test_date_rules_never_raise_and_never_give_a_future_day(text: str) -> None:
    latest = NOW.date() + datetime.timedelta(days=1)
    for day in (
        page_date(text.split("\n"), 0, NOW),
        url_date("http://x.cn/" + text.replace("\n", "/"), NOW.date()),
    ):
        assert day is None or datetime.date(1990, 1, 1) <= day <= latest


# --- authors --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "byline, author",
    [
        ("<p>光明日报记者 王建宏 张文攀</p>", "王建宏 张文攀"),
        ("<p>顶端新闻·河南商报记者马俊峰/文</p>", "马俊峰"),
        ("<p>新华网黑龙江频道 记者 伊琳 李清芬</p>", "伊琳 李清芬"),
        ("<p>文/李清照</p>", "李清照"),
        ("<p>采写：南都见习记者林子沛</p>", "林子沛"),
        ("<p>执笔/叨叨姐、胡一刀&李小飞刀</p>", "叨叨姐 胡一刀 李小飞刀"),
    ],
)
def test_a_byline_without_a_colon(byline: str, author: str) -> None:
    assert extract(page(byline), URL).author == author


def test_an_interview_question_is_not_a_byline() -> None:
    assert find_byline("记者一眼就注意到墙上的规划图") == ""
    html = page("<p>记者：首先欢迎你来到新华网接受我们的采访，请问你怎样看？</p>")
    assert extract(html, URL).author == ""


def test_an_editor_is_not_taken_for_the_author() -> None:
    html = page("<p>记者 张三</p>", footer="<p>（责任编辑：李四）</p>")
    assert extract(html, URL).author == "张三"


def test_the_editor_only_when_the_page_names_no_one_else() -> None:
    assert extract(page("<p>来源：巴彦淖尔日报 编辑：苏亮</p>"), URL).author == "苏亮"


def test_a_source_or_agency_is_not_an_author_but_a_person_as_source_is() -> None:
    assert extract(page("<p>来源：新华社</p>"), URL).author == ""
    assert find_fallback_author("来源: 尹娟") == "尹娟"


ESSAY = "人心不会熄灭，但它可能蒙上灰烬而不再燃烧。灰烬之下，是长久的沉默与等待，也是思想的余温。"


def essay(heading: str, under: str, then: str = ESSAY) -> str:
    """An old essay page: the heading, a line under it, then the text."""
    return f"""<!DOCTYPE html><html><head><meta charset="utf-8"><title>{heading}</title></head>
<body><div><a href="/">首页</a> <a href="/list">文章列表</a></div>
<p><b>{heading}</b></p><p>{under}</p><p>{then}</p><p>{ESSAY}</p><p>{ESSAY}</p></body></html>"""


@pytest.mark.parametrize(
    "under, then, author",
    [
        ("胡平", "——当代中国的精神危机(上)", "胡平"),  # above a subtitle
        ("赵延东、风笑天", ESSAY, "赵延东 风笑天"),  # above the text
        ("新华社", ESSAY, ""),  # an agency, not a person
        ("胡平", "上一篇", ""),  # a short line after it: a menu, not a byline
    ],
)
def test_a_name_alone_under_the_heading(under: str, then: str, author: str) -> None:
    assert extract(essay("犬儒病(上)", under, then), URL).author == author


@pytest.mark.parametrize(
    "line, author",
    [
        ("由海姑娘张贴 @ 2005-06-14 03:25:55", "海姑娘"),
        ("本贴由大卫于2005年8月12日16:12:21在〖心灵体操〗发表.", "大卫"),
        ("ggjjzhzz 发表于 2005-9-15 11:46:00", "ggjjzhzz"),
    ],
)
def test_forum_and_blog_posters(line: str, author: str) -> None:
    assert find_byline(line) == author


@pytest.mark.parametrize(
    "name, person",
    [
        ("张三", True),
        ("欧阳明日", True),
        ("Joel Spolsky", True),
        ("新华社", False),
        ("人民网", False),
        ("巴彦淖尔日报", False),
        ('size="20"', False),
        ("[点击此处收藏本文]", False),
        ("希望以后和各位多多交流。", False),
    ],
)
def test_who_counts_as_a_person(name: str, person: bool) -> None:
    assert is_person(name) is person


def test_a_page_without_an_html_element_is_read() -> None:
    html = '<text id="x">\n<div><p>作者：张三</p>' + PARAGRAPHS + "</div>"
    assert "乡村振兴" in extract(html, URL).text


# --- the gate: sites the rules were not tuned on ---------------------------------------------

# Measured on the report split → floor (one page under). "before" is the code before these rules.
FLOORS = {
    # all report pages: dates 68 of 71 (htmldate alone 0.873, before 0.915)
    ("all", "date"): 0.94,  # measured 0.958
    # authors 20 of 45 (trafilatura alone 0.089, before 0.267)
    ("all", "author"): 0.42,  # measured 0.444
    # pages that name no one: 5 of 9 kept empty (before 0.889)
    ("all", "no_author_kept_empty"): 0.44,  # measured 0.556
    ("cwced", "date"): 0.89,  # measured 0.929 (26 of 28; htmldate 0.679, before 0.821)
    ("cwced", "author"): 0.50,  # measured 0.538 (14 of 26; trafilatura 0.038, before 0.308)
    ("gne", "date"): 0.95,  # measured 0.977 (42 of 43; htmldate 1.000, before 0.977)
    ("gne", "author"): 0.26,  # measured 0.316 (6 of 19; trafilatura 0.158, before 0.211)
}


def test_no_site_is_in_both_the_tune_and_the_report_split() -> None:
    pages = extract_quality.zh_pages()
    tune = {p.site for p in pages if p.split == "tune"}
    report = {p.site for p in pages if p.split == "report"}
    assert tune and report and not tune & report


def test_dates_and_authors_on_sites_nobody_tuned_for() -> None:
    logging.disable(logging.WARNING)
    try:
        figures = extract_quality.zh_summarize(
            [
                extract_quality.zh_evaluate(p, baselines=False)
                for p in extract_quality.zh_pages("report")
            ]
        )
    finally:
        logging.disable(logging.NOTSET)
    print(figures)
    for (source, name), floor in FLOORS.items():
        got = figures if source == "all" else figures["by_source"][source]
        assert got[name]["accuracy"] >= floor, (source, name, got[name])
