"""Extract step: metadata, readable HTML and robustness, on small real-shaped pages.

The Chinese snippets copy the markup of real news and CMS pages (xinhua, people.com.cn,
gmw, sina, youth.cn); no database, no network.
"""

from __future__ import annotations

import datetime

import pytest

from linkhome.capture.steps.extract import Extracted, extract, sanitize_html
from linkhome.capture.steps.extract.content import Content, choose
from linkhome.capture.steps.extract.labels import clean_zh_author, find_author, find_date
from linkhome.capture.steps.extract.title import strip_site

URL = "https://news.example.cn/politics/2023/0116/c1001-1.html"
ZH_PARAGRAPHS = "".join(
    f"<p>　　第{i}段：记者从有关部门获悉，今年以来各地积极推进数字农机服务，"
    "农业生产效率明显提升，农民收入稳步增长，乡村振兴取得新进展。</p>"
    for i in range(1, 7)
)
EN_PARAGRAPHS = "".join(
    f"<p>Paragraph {i} of the story explains what happened, who was involved and why "
    "it matters to the readers of this newspaper, with enough words to look real.</p>"
    for i in range(1, 7)
)


def zh_page(head: str = "", byline: str = "", body: str = ZH_PARAGRAPHS) -> str:
    return f"""<!DOCTYPE html><html><head><meta charset="utf-8">{head}
<title>河北遵化：数字农机服务助力农业生产-新华网河北频道-新华网</title></head>
<body><div class="nav"><a href="/">首页</a> | <a href="/gn/">国内</a> | <a href="/gj/">国际</a>
</div>
<div class="main"><h1>河北遵化：数字农机服务助力农业生产</h1>
<div class="info">{byline}</div><div id="detail">{body}</div></div>
<div class="footer">Copyright © 2000-2024 版权所有</div></body></html>"""


def en_page(head: str = "", body: str = EN_PARAGRAPHS) -> str:
    return f"""<!DOCTYPE html><html lang="en"><head>{head}
<title>United States to Lift Sudan Sanctions - The New York Times</title></head>
<body><nav><a href="/world">World</a> <a href="/us">U.S.</a></nav>
<article><h1>United States to Lift Sudan Sanctions</h1>{body}</article>
<footer>© 2017 The New York Times Company</footer></body></html>"""


# --- Chinese byline lines ---------------------------------------------------------------


@pytest.mark.parametrize(
    "byline, day",
    [
        ("<span>发布时间：2023-01-16 10:30</span><span>来源：新华网</span>", (2023, 1, 16)),
        ("<span>时间：2023年1月16日</span>", (2023, 1, 16)),
        ('<span id="page_right">发稿时间：2024-05-20 13:15:00 </span>', (2024, 5, 20)),
        (
            "<p><span>时间：<em>2022-11-24 05:30:58</em></span><span>编辑：</span></p>",
            (2022, 11, 24),
        ),
        (
            '<div class="artOri">2024年05月17日08:59 来源：<a href="#">北京青年报</a></div>',
            (2024, 5, 17),
        ),
        (
            '<span class="time">2024-05-15 08:58:52</span><i>来源：</i><span>新华网</span>',
            (2024, 5, 15),
        ),
        ("<span>时间：2024.05.11</span>", (2024, 5, 11)),
    ],
)
def test_it_reads_the_publish_date_from_a_chinese_byline_line(byline: str, day: tuple) -> None:
    assert extract(zh_page(byline=byline), URL).published == datetime.date(*day)


def test_it_ignores_dates_that_are_not_publish_dates() -> None:
    text = "北京时间：2023-01-16\n服务时间：周二至周日\n上映 2099-01-01 来源不明"
    assert find_date(text) is None
    assert find_date("发布时间：2023-13-45") is None  # not a calendar day


@pytest.mark.parametrize(
    "byline, author",
    [
        ("<span>作者：张三</span> <span>责任编辑：李四</span>", "张三"),
        ('<span class="editor">[作者: 刘满仓 责任编辑: 王頔]</span>', "刘满仓"),
        ('<span>作者：<span id="ArticleUserName2">涅阳城</span></span>', "涅阳城"),
        ('<span class="author">作者：曹磊</span><span>来源：光明日报</span>', "曹磊"),
        ("<span>来源：新华网</span>", ""),  # the source agency is not the author
        (
            '<span id="author_baidu">作者：</span><span id="editor_baidu">责任编辑：肖春芳</span>',
            "",
        ),
        ("<p>作者：佚名</p>", ""),
    ],
)
def test_it_reads_the_author_from_a_chinese_byline_line(byline: str, author: str) -> None:
    assert extract(zh_page(byline=byline), URL).author == author


def test_it_takes_the_author_after_an_empty_author_label() -> None:
    assert find_author("作者：\n责任编辑：肖春芳\n正文……\n作者︱春春") == "春春"


@pytest.mark.parametrize(
    "raw, clean",
    [
        ("作者： 白居易", "白居易"),
        ("责编：黄忆南 Pn", ""),
        ("管不饿 关注 来自甘肃", "管不饿"),
        ("Jane Doe", "Jane Doe"),
    ],
)
def test_it_cleans_bylines_read_from_markup(raw: str, clean: str) -> None:
    assert clean_zh_author(raw) == clean


# --- meta tags ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "meta",
    [
        '<meta name="PubDate" content="2023-01-16 10:30">',
        '<meta name="publishdate" content="2023-01-16">',
        '<meta property="article:published_time" content="2023-01-16T10:30:00+08:00">',
    ],
)
def test_it_reads_the_publish_date_from_meta_tags(meta: str) -> None:
    assert extract(zh_page(head=meta), URL).published == datetime.date(2023, 1, 16)


def test_it_keeps_a_chinese_meta_author_without_spaces() -> None:
    # trafilatura drops authors without a space; Chinese names have none.
    got = extract(zh_page(head='<meta name="author" content="肖春芳">'), URL)
    assert got.author == "肖春芳"


def test_it_prefers_dublin_core_and_reads_space_separated_properties() -> None:
    head = (
        '<meta property="dc:creator twitter:site_name" content="Creator Name">'
        '<meta name="author" content="Other Name">'
    )
    assert extract(en_page(head=head), "https://example.com/a").author == "Creator Name"


def test_it_cleans_a_by_prefix_and_trailing_date_from_the_author() -> None:
    head = '<meta name="author" content="By Nathan Willis March 25, 2015">'
    assert extract(en_page(head=head), "https://example.com/a").author == "Nathan Willis"


def test_it_reads_site_name_and_description() -> None:
    head = (
        '<meta property="og:site_name" content="The New York Times">'
        '<meta name="description" content="Sanctions on Sudan will be eased.">'
    )
    got = extract(en_page(head=head), "https://www.nytimes.com/2017/01/13/world/sudan.html")
    assert (got.site_name, got.description) == (
        "The New York Times",
        "Sanctions on Sudan will be eased.",
    )


# --- title ----------------------------------------------------------------------------------


def test_it_prefers_the_meta_title() -> None:
    head = '<meta property="og:title" content="United States to Lift Sudan Sanctions">'
    assert extract(en_page(head=head), "https://example.com/a").title == (
        "United States to Lift Sudan Sanctions"
    )


def test_it_strips_the_site_from_the_title_element() -> None:
    named = '<meta property="og:site_name" content="The New York Times">'
    assert extract(en_page(head=named), "https://example.com/a").title == (
        "United States to Lift Sudan Sanctions"
    )
    # nothing says "The New York Times" is this site: the title stays whole
    assert extract(en_page(), "https://example.com/a").title.endswith("- The New York Times")
    assert extract(zh_page(), URL).title == "河北遵化：数字农机服务助力农业生产"


@pytest.mark.parametrize(
    "title, site, expected",
    [
        (
            "DeepMind新电脑已可利用记忆自学 人工智能迈上新台阶_科技_腾讯网",
            "",
            "DeepMind新电脑已可利用记忆自学 人工智能迈上新台阶",
        ),
        ("《北京影人》5月20日起播出_华语_电影网", "", "《北京影人》5月20日起播出"),
        ("为什么 ChatGPT 不火了？-CSDN博客", "", "为什么 ChatGPT 不火了？"),
        ("Mozilla - Wikipedia", "", "Mozilla - Wikipedia"),  # too short to cut
        ("Mozilla - Wikipedia", "Wikipedia", "Mozilla"),  # unless the site is known
        ("Site | A long article title here", "Site", "A long article title here"),
        ("Site | A long article title here", "", "Site | A long article title here"),
        ("e-mail tips for busy people", "", "e-mail tips for busy people"),
        # a part is dropped only when it names the site: not "a - b" halves of a title
        (
            "About bugs – Vortex Cannon Entertainment",
            "",
            "About bugs – Vortex Cannon Entertainment",
        ),
        ("科普中国-辟谣文章", "", "科普中国-辟谣文章"),
    ],
)
def test_it_cuts_site_suffixes_only_when_sensible(title: str, site: str, expected: str) -> None:
    assert strip_site(title, site) == expected


@pytest.mark.parametrize(
    "title",
    [
        "shutil: If ignore_errors is true, errors from failed removals are ignored",
        "注册 BUS_NAME 服务",
        "os.makedirs(name, exist_ok=True) - how_to_guides",
        "Use __init__ and __slots__ well",
    ],
)
def test_an_underscore_inside_a_word_or_identifier_is_no_separator(title: str) -> None:
    # Before: "shutil: If ignore" and "注册 BUS" (issue 14). Even with the site known.
    assert strip_site(title, "Python") == title
    assert extract(f"<html><head><title>{title}</title></head></html>", URL).title == title


def test_the_host_and_the_home_link_name_the_site() -> None:
    page = """<html><head><title>Pine Labs gets approval to shift base | TechCrunch</title>
    </head><body><a href="/"><img alt="财经网" src="/logo.png"></a>
    <h1>Pine Labs gets approval to shift base</h1></body></html>"""
    got = extract(page, "https://techcrunch.com/2024/05/pine-labs/")
    assert got.title == "Pine Labs gets approval to shift base"
    assert got.full_title == "Pine Labs gets approval to shift base | TechCrunch"
    zh = page.replace(" | TechCrunch", "_数据_宏观频道_财经网")
    assert extract(zh, "https://economy.caijing.com.cn/20240501/1.shtml").title == (
        "Pine Labs gets approval to shift base"
    )
    # the same words that are not the site stay
    other = page.replace("TechCrunch", "Interview")
    assert extract(other, "https://example.org/a").title.endswith("| Interview")


def test_a_meta_title_keeps_a_segment_that_is_not_the_site() -> None:
    head = '<meta property="og:title" content="Minecraft 1.8 - The Bountiful Update">'
    assert extract(en_page(head=head), "https://example.com/a").title == (
        "Minecraft 1.8 - The Bountiful Update"
    )


# --- language -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "html, language",
    [
        (zh_page(), "zh"),
        (
            zh_page().replace("<html>", '<html lang="en">'),
            "zh",
        ),  # template says en, text is Chinese
        (zh_page().replace("<html>", '<html lang="zh-CN">'), "zh"),
        (en_page(), "en"),
        (en_page().replace('lang="en"', ""), ""),  # latin text, nothing declared: unknown
        (
            en_page(body="<p>" + "これは日本語の記事です。ニュースをお届けします。" * 20 + "</p>"),
            "ja",
        ),
        (
            en_page(body="<p>" + "이것은 한국어 기사입니다. 뉴스를 전해 드립니다. " * 20 + "</p>"),
            "ko",
        ),
    ],
)
def test_it_tells_the_language(html: str, language: str) -> None:
    assert extract(html, "https://example.com/a").language == language


# --- content and readable HTML --------------------------------------------------------------


def test_it_extracts_the_main_text_without_boilerplate() -> None:
    got = extract(zh_page(), URL)
    assert got.text.count("\n") >= 5  # one line per paragraph
    assert "第1段" in got.text and "第6段" in got.text
    assert "首页" not in got.text and "版权所有" not in got.text
    assert got.method in ("readability", "trafilatura")


def test_readable_html_has_structure_absolute_urls_and_lazy_images() -> None:
    body = (
        "<h2>Background</h2>"
        + EN_PARAGRAPHS
        + "<ul><li>The first point is that sanctions were in place for twenty years.</li>"
        "<li>The second point is that the decision can still be reversed in July.</li></ul>"
        '<p>See <a href="/world/more.html">more</a> and '
        '<img src="data:image/gif;base64,R0lGOD" data-src="/img/photo.jpg" alt="photo"></p>'
    )
    got = extract(en_page(body=body), "https://www.nytimes.com/2017/01/13/world/sudan.html")
    html = got.readable_html
    assert "<h2>" in html and "<li>" in html and "<p>" in html
    assert 'href="https://www.nytimes.com/world/more.html"' in html
    assert 'src="https://www.nytimes.com/img/photo.jpg"' in html


def test_readable_html_is_sanitized() -> None:
    body = EN_PARAGRAPHS + (
        '<p onclick="steal()" style="color:red">Click <a href="javascript:alert(1)">here</a>'
        "<script>alert(1)</script><img src=x onerror=alert(1)></p>"
    )
    html = extract(en_page(body=body), "https://example.com/a").readable_html
    for bad in ("onclick", "style=", "javascript:", "<script", "alert(1)</", "onerror"):
        assert bad not in html


def test_sanitize_html_keeps_structure_and_drops_what_runs() -> None:
    dirty = (
        '<div><h1 class="x">T</h1><iframe src="https://evil"></iframe><style>p{}</style>'
        '<a href="https://ok.example/" onmouseover="x()">ok</a>'
        '<img src="https://ok.example/i.png" alt="i"><form><input></form></div>'
    )
    assert sanitize_html(dirty) == (
        '<div><h1>T</h1><a href="https://ok.example/" rel="noopener noreferrer nofollow">ok</a>'
        '<img src="https://ok.example/i.png" alt="i"></div>'
    )


def test_it_keeps_readability_unless_it_lost_much_of_the_text() -> None:
    long = Content("<p>x</p>", " ".join(["word"] * 100), "trafilatura")
    assert choose(long, Content("", " ".join(["word"] * 60), "readability")).method == "readability"
    assert choose(long, Content("", " ".join(["word"] * 40), "readability")).method == "trafilatura"
    assert choose(long, Content("", "", "")).method == "trafilatura"


# --- robustness -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "html",
    [
        "",
        "   ",
        "<<<>>>",
        "\x00\x01\x02 binary junk \ufffd\ufffd",
        "<html><body><p>unclosed <b>tags <i>everywhere",
        '<?xml version="1.0" encoding="gb2312"?><html><body><p>声明了编码</p></body></html>',
        "<div>" * 5000 + "deep" + "</div>" * 5000,
        "<html><head><title>only a title</title></head></html>",
        '<a href="http://[broken">x</a><img src="http://[broken">',
    ],
)
def test_it_never_raises_on_broken_html(html: str) -> None:
    got = extract(html, "https://example.com/x")
    assert isinstance(got, Extracted)
    assert all(isinstance(getattr(got, f), str) for f in ("title", "text", "readable_html"))
