"""Bookmark files in every format the importer reads, told apart by their content, with
each exporter's quirks; broken files; and Netscape files written and read back
(linkhome.lib.bookmarks, no Django). The fixtures are described in
tests/data/bookmarks/README.md."""

import json
import shutil
from datetime import UTC, datetime
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from lxml import etree

from linkhome.lib.bookmarks import (
    EmptyFile,
    Entry,
    NotBookmarks,
    netscape_document,
    read_bookmarks,
    tidy_tag,
)
from linkhome.lib.bookmarks.entry import tidy_note, tidy_text

DATA = Path(__file__).parent / "data" / "bookmarks"


def read(name: str, folder: Path = DATA) -> tuple[str, list[Entry]]:
    parsed = read_bookmarks(folder / name)
    return parsed.format, list(parsed.entries)


def day(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=UTC)


def test_the_name_of_the_file_says_nothing(tmp_path):
    """The format comes from the content: a Pinboard JSON file named .html is JSON."""
    shutil.copy(DATA / "pinboard.json", tmp_path / "bookmarks.html")
    shutil.copy(DATA / "chrome.html", tmp_path / "export.csv")
    assert read("bookmarks.html", tmp_path)[0] == "pinboard-json"
    assert read("export.csv", tmp_path)[0] == "netscape"


@pytest.mark.parametrize(
    ("name", "kind"),
    [
        ("chrome.html", "netscape"),
        ("firefox.html", "netscape"),
        ("browser360-gbk.html", "netscape"),
        ("qq-sogou-quirks.html", "netscape"),
        ("linkding.html", "netscape"),
        ("shaarli.html", "netscape"),
        ("pinboard.html", "netscape"),
        ("pocket.html", "pocket-html"),
        ("pocket.csv", "pocket-csv"),
        ("instapaper.csv", "instapaper-csv"),
        ("raindrop.csv", "raindrop-csv"),
        ("pinboard.json", "pinboard-json"),
        ("omnivore.json", "omnivore-json"),
        ("wallabag.json", "wallabag-json"),
        ("linkwarden.json", "linkwarden-json"),
        ("karakeep.json", "karakeep-json"),
        ("chrome-Bookmarks.json", "chrome-json"),
        ("list.txt", "text"),
        ("list.md", "markdown"),
    ],
)
def test_each_format_is_recognised(name, kind):
    assert read(name)[0] == kind


def test_chrome_folders_become_tags_but_not_the_bookmarks_bar():
    _, entries = read("chrome.html")
    by_url = {entry.url: entry for entry in entries}
    assert by_url["https://www.python.org/"].tags == ()
    news = by_url["https://news.example.cn/2020/01/a.html"]
    assert news.tags == ("新闻",)
    assert news.title == "头条 & 要闻 <今日>"  # entities decoded
    assert news.saved_at == day("2020-01-01T00:00:00")
    assert by_url["https://world.example.com/"].tags == ("新闻", "国际")
    assert by_url["https://other.example.org/page"].tags == ()
    assert [entry.line for entry in entries] == [11, 14, 17, 23]


def test_firefox_tags_notes_and_smart_bookmarks():
    _, entries = read("firefox.html")
    essay = next(entry for entry in entries if entry.url == "https://example.org/essay")
    assert essay.tags == ("Reading", "longread", "essays")
    assert essay.note == "Firefox keeps the description here."
    # place: queries are passed on as they are: the importer refuses them, with the line.
    assert any(entry.url.startswith("place:") for entry in entries)


def test_a_gbk_file_from_a_chinese_browser():
    _, entries = read("browser360-gbk.html")
    assert [(entry.title, entry.tags) for entry in entries] == [
        ("百度一下，你就知道", ()),
        ("知乎问题", ("学习资料",)),
    ]


def test_unclosed_anchors_missing_dl_and_odd_dates():
    _, entries = read("qq-sogou-quirks.html")
    titles = [entry.title for entry in entries]
    assert titles == [
        "腾讯网",
        "搜狗",
        "豆瓣读书（毫秒）",
        "微秒的日期",
        "文件服务器",
        "路由器",
        "腾讯网（重复）",
    ]
    assert entries[0].saved_at is None  # ADD_DATE="0"
    assert entries[2].saved_at == entries[3].saved_at == day("2012-01-01T00:00:00")
    assert entries[2].tags == ("读书 & 笔记",)


def test_private_and_notes_from_bookmarking_services():
    _, linkding = read("linkding.html")
    assert [(e.private, e.tags) for e in linkding] == [
        (False, ("selfhosted", "bookmarks")),
        (True, ("secret",)),
    ]
    assert linkding[0].note == "Self-hosted bookmark manager"
    _, shaarli = read("shaarli.html")
    assert shaarli[0].note == 'Notes in Shaarli can be\nmulti-line, with "quotes" and markup.'
    assert shaarli[1].url == "https://example.net/?page=1&sort=desc"
    assert shaarli[2].tags == ("a", "b")
    _, pinboard = read("pinboard.html")
    assert [e.private for e in pinboard] == [False, True]


def test_pocket_both_exports():
    _, html = read("pocket.html")
    assert [(e.url, e.tags) for e in html] == [
        ("https://getpocket.com/explore/item/1", ("reading", "later")),
        ("https://example.com/archived", ()),
    ]
    assert html[0].saved_at == day("2019-01-01T00:00:00")
    _, csv = read("pocket.csv")
    assert [e.tags for e in csv] == [("tech", "reading"), (), ("中文", "新闻")]
    assert csv[1].title == "Title, with a comma"
    assert [e.line for e in csv] == [2, 3, 4]


def test_instapaper_and_raindrop_csv():
    _, insta = read("instapaper.csv")
    assert insta[0].note == "A highlighted\nselection over two lines"
    assert [e.tags for e in insta] == [("longform",), (), ("Essays",)]
    assert [e.line for e in insta] == [2, 4, 5]  # a quoted field spans two lines
    _, rain = read("raindrop.csv")
    assert rain[0].tags == ("design", "ux")
    assert rain[1].tags == ("Work", "Projects")
    assert rain[0].saved_at == day("2021-05-01T10:00:00")


def test_json_exports():
    _, pinboard = read("pinboard.json")
    assert (pinboard[0].title, pinboard[0].note, pinboard[0].tags) == (
        "Pinboard",
        "Social bookmarking for introverts",
        ("bookmarks", "social"),
    )
    assert [e.private for e in pinboard[:2]] == [False, True]
    assert pinboard[2].problem  # no href
    _, omnivore = read("omnivore.json")
    assert omnivore[0].tags == ("Newsletter", "AI")
    _, wallabag = read("wallabag.json")
    assert wallabag[0].saved_at == day("2019-02-03T03:05:06")
    _, linkwarden = read("linkwarden.json")
    assert linkwarden[0].tags == ("Parent", "Child", "research")
    assert linkwarden[1].tags == ()
    assert linkwarden[2].problem
    _, karakeep = read("karakeep.json")
    assert karakeep[0].note == "my note"
    assert karakeep[1].problem == "a text bookmark, not a link"
    assert karakeep[0].saved_at == day("2024-06-01T00:00:00")
    _, chrome = read("chrome-Bookmarks.json")
    assert [(e.title, e.tags) for e in chrome] == [
        ("Chromium", ()),
        ("开发者文档", ("工作",)),
        ("Phone", ()),
    ]
    assert chrome[0].saved_at == day("2020-12-30T00:00:00")  # WebKit epoch
    assert chrome[2].saved_at is None


def test_plain_and_markdown_lists():
    _, plain = read("list.txt")
    assert [(e.url, e.line, bool(e.problem)) for e in plain] == [
        ("https://example.com/plain/1", 2, False),
        ("https://example.com/plain/2", 3, False),
        ("mailto:someone@example.com", 5, False),  # refused by the importer: not http(s)
        ("not an address at all", 6, True),
    ]
    _, markdown = read("list.md")
    assert [(e.url, e.title, e.tags) for e in markdown] == [
        ("https://www.python.org/", "Python", ("Reading", "技术")),
        ("https://example.com/md/angle", "", ("Reading", "技术")),
        ("https://example.com/md/bare", "", ("Reading", "技术")),
        ("https://example.com/md/bread", "Bread", ("Reading", "Cooking")),
        ("https://example.com/md/inline", "link", ("Reading", "Cooking")),
    ]


@pytest.mark.parametrize(
    ("content", "error"),
    [
        (b"", EmptyFile),
        (b"  \n\n \t", EmptyFile),
        (b"PK\x03\x04zipzipzip", NotBookmarks),
        (b"%PDF-1.7\n", NotBookmarks),
        (b"\x00\x01\x02binary", NotBookmarks),
        (b"just some words, no addresses\n", NotBookmarks),
        (b"<html><body><p>a page without links</p></body></html>", NotBookmarks),
        (b'{"some": "json"}', NotBookmarks),
        (b"[1, 2, 3]", NotBookmarks),
        (b"name,email\nalice,a@example.com\n", NotBookmarks),
    ],
)
def test_what_is_not_a_bookmark_file_is_said_at_once(tmp_path, content, error):
    path = tmp_path / "upload"
    path.write_bytes(content)
    with pytest.raises(error):
        read_bookmarks(path)


def test_broken_files_keep_what_came_before(tmp_path):
    cut = (DATA / "pinboard.json").read_text()[:400]
    (tmp_path / "cut.json").write_text(cut)
    kind, entries = read("cut.json", tmp_path)
    assert kind == "pinboard-json"
    assert entries[0].url == "https://pinboard.in/"
    assert entries[-1].problem.startswith("the JSON file is broken here")
    html = (DATA / "chrome.html").read_bytes()[:900]  # cut inside a folder
    (tmp_path / "cut.html").write_bytes(html)
    _, entries = read("cut.html", tmp_path)
    assert [e.url for e in entries][:2] == [
        "https://www.python.org/",
        "https://news.example.cn/2020/01/a.html",
    ]
    (tmp_path / "bad.csv").write_bytes(
        b'title,url,time_added,tags\n"open quote,https://x.example/\n'
    )
    _, entries = read("bad.csv", tmp_path)
    assert all(isinstance(e, Entry) for e in entries)


def test_a_big_file_is_read_as_a_stream(tmp_path):
    """100,000 bookmarks in folders: all read, in order, with their folders."""
    path = tmp_path / "big.html"
    with path.open("w") as out:
        out.write("<!DOCTYPE NETSCAPE-Bookmark-file-1>\n<DL><p>\n")
        for folder in range(100):
            out.write(f"<DT><H3>夹{folder}</H3>\n<DL><p>\n")
            for item in range(1000):
                number = folder * 1000 + item
                out.write(
                    f'<DT><A HREF="https://e{number}.example/" ADD_DATE="{number + 10**9}">t{number}</A>\n'
                )
            out.write("</DL><p>\n")
    count = 0
    for count, entry in enumerate(read_bookmarks(path).entries, start=1):  # noqa: B007
        assert entry.title == f"t{count - 1}"
        assert entry.tags == (f"夹{(count - 1) // 1000}",)
    assert count == 100_000


# --- writing, and reading back -----------------------------------------------------------

user_text = st.text(st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=40)


@st.composite
def entries(draw):
    title = draw(user_text)
    return Entry(
        url="https://example.com/" + draw(st.text("abcxyz/?=&%-_.~中文", max_size=20)),
        title=title,
        note=draw(user_text),
        tags=tuple(
            dict.fromkeys(t for t in map(tidy_tag, draw(st.lists(user_text, max_size=4))) if t)
        ),
        saved_at=draw(
            st.none() | st.integers(10**9, 4 * 10**9).map(lambda s: datetime.fromtimestamp(s, UTC))
        ),
        private=draw(st.none() | st.booleans()),
    )


def tidy(entry: Entry) -> tuple:
    from linkhome.lib.bookmarks.writing import printable

    return (
        entry.url,
        tidy_text(printable(entry.title), 500),
        tidy_note(printable(entry.note, lines=True)),
        tuple(dict.fromkeys(tidy_tag(printable(t)) for t in entry.tags if tidy_tag(printable(t)))),
        entry.saved_at,
        entry.private,
    )


@settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(st.lists(entries(), min_size=1, max_size=8))
def test_written_files_read_back_the_same(tmp_path, written):
    path = tmp_path / "round.html"
    path.write_text("".join(netscape_document(written)), encoding="utf-8")
    back = list(read_bookmarks(path).entries)
    assert [tidy(e) for e in back] == [tidy(e) for e in written]
    assert lxml_read(path) == [
        (e.url, tidy(e)[1], tidy(e)[3], tidy(e)[4], tidy(e)[5]) for e in written
    ]


def lxml_read(path: Path) -> list[tuple]:
    """A second, independent reader of the written file: libxml2's HTML parser (lxml), where
    the importer uses Python's html.parser tokenizer."""
    found = []
    for a in etree.parse(str(path), etree.HTMLParser(encoding="utf-8")).iter("a"):
        tags = tuple(t for t in (a.get("tags") or "").split(",") if t)
        date = a.get("add_date")
        saved = datetime.fromtimestamp(int(date), UTC) if date else None
        private = None if a.get("private") is None else a.get("private") == "1"
        title = " ".join("".join(a.itertext()).split())
        found.append((a.get("href"), title, tags, saved, private))
    return found


def test_tags_from_files_are_valid_tag_names():
    assert tidy_tag("  #a, b，c\x07d  ") == "a b c d"
    assert tidy_tag("x" * 100) == "x" * 64
    assert tidy_tag(None) == ""
    assert json.dumps(tidy_tag("读书 & 笔记"), ensure_ascii=False) == '"读书 & 笔记"'


def test_the_reader_process_judges_like_this_one():
    """The child process an import reads the file in gives what reading here gives."""
    from linkhome.lib.bookmarks import judging

    for name in ("qq-sogou-quirks.html", "pinboard.json", "instapaper.csv", "list.md"):
        args = (DATA / name, ["导入"], "", False)
        assert list(judging.judged_in_child(*args)) == list(judging.judged_here(*args)), name
