"""Reader comments are not main text (issue 16): one test per rule, and a quality gate.

The gate scores the ``report`` split of ``tests/data/en-comments`` (English blog and news
pages with reader comments, from sites the rule was not tuned on; see its README) with
``bench/extract_quality.py`` and fails when main-text F1 drops below its floor.
"""

from __future__ import annotations

import logging

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from lxml import html
from lxml.html import HtmlElement

from linkhome.capture.steps.extract import extract
from linkhome.capture.steps.extract.discussion import is_discussion
from linkhome.lib.text_score import tokenize
from linkhome.testing import extract_quality

BLOG = "https://blog.example.com/2012/07/bridge/"
ARTICLE = "".join(
    f"<p>Paragraph {i} of the article explains how the harbour bridge was rebuilt after the "
    "storm, with steel arches and new cables that engineers tested for months.</p>"
    for i in range(6)
)


def comment(i: int, words: str) -> str:
    return (
        f'<li class="comment" id="comment-{i}"><div class="comment-author vcard">'
        f'<cite class="fn">Reader{i}</cite> says:</div><div class="comment-meta">'
        f"July {i + 1}, 2012 at 3:1{i % 10} pm</div><p>{words}</p>"
        '<div class="reply"><a href="#">Reply</a></div></li>'
    )


def page(comments: list[str], article: str = ARTICLE) -> str:
    items = "".join(comment(i, words) for i, words in enumerate(comments))
    return f"""<html><head><title>Rebuilding the bridge | A Blog</title></head><body>
<div id="header"><a href="/">A Blog</a></div><div id="content"><div class="post">
<h2>Rebuilding the bridge</h2><div class="entry">{article}</div></div>
<div id="comments"><h3>{len(comments)} Responses to "Rebuilding the bridge"</h3>
<ol class="commentlist">{items}</ol></div>
<div id="respond"><h3>Leave a Reply</h3><form><textarea name="comment"></textarea></form></div>
</div><div id="footer">Powered by WordPress</div></body></html>"""


REMARKS = [
    f"Zebra quokka remark number {i}: I walked across it yesterday and loved the view, "
    "thanks for writing this up so well, keep going!"
    for i in range(12)
]


def test_a_blog_posts_reader_comments_are_left_out_of_its_main_text() -> None:
    got = extract(page(REMARKS), BLOG)
    assert "harbour bridge was rebuilt" in got.text
    assert "quokka" not in got.text and "Reader3" not in got.text


def test_the_replies_of_a_forum_thread_are_its_content() -> None:
    got = extract(page(REMARKS), "https://forum.example.com/thread/123")
    assert "harbour bridge was rebuilt" in got.text
    assert "quokka" in got.text


@pytest.mark.parametrize(
    "url",
    [
        "https://forum.example.com/anything",
        "https://bbs.example.cn/thread-123-1-1.html",
        "https://example.com/forum/viewtopic.php?t=5",
        "https://example.com/index.php?tid=42",
        "https://www.zhihu.com/question/123",
        "https://www.reddit.com/r/x/comments/abc/title/",
        "https://example.com/questions/77/how-to",
        "https://example.com/t/some-topic/123",
    ],
)
def test_forum_and_qa_addresses_are_discussions(url: str) -> None:
    assert is_discussion(_tree(""), url)


@pytest.mark.parametrize(
    "url",
    [
        BLOG,
        "https://news.example.com/2024/05/12/storm-damage.html",
        "https://example.substack.com/p/a-post",
        "https://example.com/topical-questions-answered",  # words inside a slug are not segments
        "",
    ],
)
def test_article_addresses_are_not_discussions(url: str) -> None:
    assert not is_discussion(_tree(""), url)


def test_discussion_markup_makes_a_page_a_discussion_whatever_its_address() -> None:
    ld = '<script type="application/ld+json">{"@type": "DiscussionForumPosting"}</script>'
    assert is_discussion(_tree(ld), BLOG)
    assert is_discussion(_tree('<div itemscope itemtype="https://schema.org/QAPage"></div>'), "")


def _tree(body: str) -> HtmlElement:
    return html.document_fromstring(f"<html><body>{body}<p>x</p></body></html>")


_words = st.lists(
    st.text(alphabet="bcdfghjklmnpqrstvwxz", min_size=4, max_size=9), min_size=8, max_size=30
)


@settings(max_examples=25, deadline=None)
@given(remarks=st.lists(_words, min_size=1, max_size=15))
def test_no_word_only_a_comment_holds_reaches_a_blog_posts_main_text(
    remarks: list[list[str]],
) -> None:
    """The class of bug: whatever the comments say and however many, none of it is main text
    on a page that is not a discussion (their words are consonant strings, never in the
    article)."""
    got = extract(page([" ".join(words) for words in remarks]), BLOG)
    assert "harbour" in got.text
    comment_words = {w for words in remarks for w in words}
    assert not comment_words & set(tokenize(got.text))


# --- the quality gate over the report split --------------------------------------------------

# Main-text F1 on the report split (153 pages): measured 0.923 with the rule, 0.711 before it;
# readability-lxml alone 0.922, trafilatura alone 0.648. The floor sits 0.013 under.
REPORT_FLOOR = 0.910


@pytest.mark.corpus
def test_main_text_of_english_pages_with_comments_stays_above_its_floor() -> None:
    logging.disable(logging.WARNING)  # extractors log every page they find nothing in
    try:
        figures = extract_quality.en_comments_run("report", workers=2, candidates=False)
    finally:
        logging.disable(logging.NOTSET)
    print("\nen-comments report:", figures)
    assert figures["pages"] == 153
    assert figures["f1_final"] >= REPORT_FLOOR
