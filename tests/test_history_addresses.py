"""Addresses over time (issue 15): /web/<timestamp>/<address> to the nearest capture the
reader may see, /web/*/<address> as a calendar, and Memento (RFC 7089): TimeGate, TimeMaps,
and Memento-Datetime with Link on archived pages. Private captures never show to others."""

import json
from datetime import UTC, datetime

import pytest
from django.utils.http import http_date

from linkhome.testing import factories
from linkhome.testing.factories import client_for, kept

pytestmark = pytest.mark.django_db

URL = "https://news.example.cn/2024/story.html"


def at(*parts: int) -> datetime:
    return datetime(*parts, tzinfo=UTC)


@pytest.fixture
def history(owner, other_user):
    """One address kept by two people: owner's public captures in 2023 and 2025, a private
    one (on another link of theirs: http://www.) in mid 2024, other's public one in 2024."""
    first = kept(owner, URL, "第一版", captured=at(2023, 1, 16, 8, 0, 0))
    last = kept(owner, URL, "第三版", again=True, captured=at(2025, 6, 1, 0, 0, 0))
    private = kept(
        owner,
        "http://www.news.example.cn/2024/story.html",
        "私密的一版",
        visibility="private",
        captured=at(2024, 7, 1, 12, 0, 0),
    )
    theirs = kept(other_user, URL, "第二版", captured=at(2024, 2, 29, 23, 59, 59))
    return {"first": first, "last": last, "private": private, "theirs": theirs}


def location(response) -> str:
    assert response.status_code == 302, response.content[:300]
    return response["Location"]


@pytest.mark.parametrize(
    ("stamp", "expected"),
    [
        ("20230116080000", "first"),  # exact
        ("202301", "first"),  # the end of January 2023
        ("2023", "theirs"),  # the end of 2023: nearer February 2024 than January 2023
        ("202402", "theirs"),  # the end of February 2024
        ("20240630", "theirs"),  # the private capture of July 1 does not exist for them
        ("1", "first"),  # 1999-12-31 23:59:59: before everything
        ("29991231235959", "last"),
        ("2", "last"),  # padded like pywb: 2999
    ],
)
def test_a_timestamp_goes_to_the_nearest_capture_a_visitor_may_see(history, stamp, expected):
    response = client_for().get(f"/web/{stamp}/{URL}")
    assert location(response) == f"/s/{history[expected].pk}/"


def test_the_owner_is_sent_to_their_private_capture_when_it_is_nearest(history, owner):
    assert location(client_for(owner).get(f"/web/20240701/{URL}")) == f"/s/{history['private'].pk}/"


@pytest.mark.parametrize(
    "spelling",
    [
        "http://news.example.cn/2024/story.html",
        "https://www.news.example.cn/2024/story.html",
        "HTTPS://NEWS.example.cn:443/2024/story.html",
        "news.example.cn/2024/story.html",
        "https:/news.example.cn/2024/story.html",  # slashes merged by a proxy
        "https://news.example.cn/2024/story.html#comments",
    ],
)
def test_an_address_is_matched_in_any_spelling_archives_accept(history, spelling):
    assert location(client_for().get(f"/web/202301/{spelling}")) == f"/s/{history['first'].pk}/"


def test_the_query_string_is_part_of_the_address(owner):
    with_query = kept(owner, "https://example.org/view?id=7&lang=zh", "七")
    kept(owner, "https://example.org/view?id=8", "八")
    client = client_for()
    assert location(client.get("/web/2030/https://example.org/view?id=7&lang=zh")) == (
        f"/s/{with_query.pk}/"
    )
    assert client.get("/web/2030/https://example.org/view").status_code == 404


def test_an_address_with_chinese_in_it_is_found_escaped_or_not(owner):
    snapshot = kept(owner, "https://example.org/新闻/第一篇?标签=科技", "新闻")
    client = client_for()
    escaped = "https://example.org/%E6%96%B0%E9%97%BB/%E7%AC%AC%E4%B8%80%E7%AF%87"
    for path in (
        "/web/2030/https://example.org/新闻/第一篇?标签=科技",
        f"/web/2030/{escaped}?%E6%A0%87%E7%AD%BE=%E7%A7%91%E6%8A%80",
    ):
        assert location(client.get(path)) == f"/s/{snapshot.pk}/", path


def test_an_internationalised_host_is_found_typed_or_in_punycode(owner):
    snapshot = kept(owner, "https://例子.中国/页面", "国际化域名")
    client = client_for()
    for spelling in ("https://例子.中国/页面", "https://xn--fsqu00a.xn--fiqs8s/页面"):
        assert location(client.get(f"/web/2030/{spelling}")) == f"/s/{snapshot.pk}/", spelling


def test_an_address_nobody_may_see_is_a_404_in_the_readers_language(history, owner):
    private_only = kept(owner, "https://secret.example.com/x", "秘密", visibility="private")
    client = client_for()
    for path in (
        f"/web/2024/{private_only.link.url}",
        f"/web/*/{private_only.link.url}",
        "/web/2024/https://never.example.com/",
        "/web/2024/not a web address",
    ):
        response = client.get(path, HTTP_ACCEPT_LANGUAGE="zh-hans")
        assert response.status_code == 404, path
        assert "秘密" not in response.content.decode()
    answer = client.get("/web/2024/https://never.example.com/", HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert "这个网址没有你可以查看的快照" in answer.content.decode()


def test_the_calendar_lists_every_visible_capture_by_year_and_month(history, owner):
    page = client_for().get(f"/web/*/{URL}", HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert page.status_code == 200
    html = page.content.decode()
    for name in ("first", "theirs", "last"):
        assert f'href="/s/{history[name].pk}/"' in html
    assert f'href="/s/{history["private"].pk}/"' not in html
    assert 'id="year-2025"' in html and 'id="year-2024"' in html and 'id="year-2023"' in html
    assert html.index('id="year-2025"') < html.index('id="year-2023"')  # newest year first
    assert "3 个快照" in html and "来自 2 位收藏者" in html
    mine = client_for(owner).get(f"/web/*/{URL}").content.decode()
    assert f'href="/s/{history["private"].pk}/"' in mine


def test_the_timegate_honours_accept_datetime(history):
    client = client_for()
    newest = client.get(f"/timegate/{URL}")
    assert location(newest).endswith(f"/s/{history['last'].pk}/")
    assert newest["Vary"].startswith("accept-datetime")
    asked = client.get(f"/timegate/{URL}", HTTP_ACCEPT_DATETIME="Thu, 01 Aug 2024 00:00:00 GMT")
    assert location(asked).endswith(f"/s/{history['theirs'].pk}/")  # not the private one
    links = asked["Link"]
    assert f'<{URL}>; rel="original"' in links
    assert f'/timemap/link/{URL}>; rel="timemap"; type="application/link-format"' in links
    assert (
        f'/s/{history["first"].pk}/>; rel="first prev memento"; datetime="Mon, 16 Jan 2023 08:00:00 GMT"'
        in links
    )
    assert f'/s/{history["last"].pk}/>; rel="next last memento"' in links
    assert str(history["private"].pk) + "/>" not in links
    bad = client.get(f"/timegate/{URL}", HTTP_ACCEPT_DATETIME="last Tuesday")
    assert bad.status_code == 400 and "accept-datetime" in bad["Vary"]
    assert client.get("/timegate/https://never.example.com/").status_code == 404


def test_the_link_format_timemap_lists_the_visible_mementos(history):
    response = client_for().get(f"/timemap/link/{URL}")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/link-format")
    lines = response.content.decode().strip().split(",\n")
    assert lines[0] == f'<{URL}>; rel="original"'
    assert (
        'rel="self"; type="application/link-format"; from="Mon, 16 Jan 2023 08:00:00 GMT"; until="Sun, 01 Jun 2025 00:00:00 GMT"'
        in lines[1]
    )
    assert lines[2].endswith(f'/timegate/{URL}>; rel="timegate"')
    mementos = lines[3:]
    assert [m.split(">")[0].rsplit("/s/", 1)[1] for m in mementos] == [
        f"{history[n].pk}/" for n in ("first", "theirs", "last")
    ]
    assert 'rel="first memento"' in mementos[0] and 'rel="last memento"' in mementos[-1]
    assert 'datetime="Thu, 29 Feb 2024 23:59:59 GMT"' in mementos[1]


def test_the_json_timemap(history, owner):
    body = json.loads(client_for().get(f"/timemap/json/{URL}").content)
    assert body["original_uri"] == URL
    assert body["timegate_uri"].endswith(f"/timegate/{URL}")
    assert set(body["timemap_uri"]) == {"link_format", "json_format"}
    listed = body["mementos"]["list"]
    assert [m["datetime"] for m in listed] == [
        "2023-01-16T08:00:00Z",
        "2024-02-29T23:59:59Z",
        "2025-06-01T00:00:00Z",
    ]
    assert body["mementos"]["first"] == listed[0] and body["mementos"]["last"] == listed[-1]
    mine = json.loads(client_for(owner).get(f"/timemap/json/{URL}").content)
    assert len(mine["mementos"]["list"]) == 4
    missing = client_for().get("/timemap/json/https://never.example.com/")
    assert missing.status_code == 404 and "detail" in missing.json()


def test_archived_pages_carry_memento_datetime_and_links(owner, settings):
    page = b"<html><body><p>kept</p></body></html>"
    snapshot = factories.stored(
        owner, URL, {"single_file": (page, "text/html; charset=utf-8")}, finished=True
    )
    snapshot.refresh_from_db()
    client = client_for(owner)  # signed in: the API download needs it
    for path in (
        f"/s/{snapshot.pk}/",
        f"/s/{snapshot.pk}/a/single_file/",
        f"/api/snapshots/{snapshot.pk}/artifacts/single_file",
    ):
        response = client.get(path)
        assert response.status_code == 200, path
        assert response["Memento-Datetime"] == http_date(snapshot.created_at.timestamp())
        link = response["Link"]
        assert f'<{URL}>; rel="original"' in link
        assert f'/timegate/{URL}>; rel="timegate"' in link
        assert f'/timemap/link/{URL}>; rel="timemap"; type="application/link-format"' in link
    # On the archive origin, which serves nothing else, only the original is named.
    settings.ARCHIVE_ORIGIN = "https://archive.example.com"
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "archive.example.com"]
    archived = client.get(
        f"/s/{snapshot.pk}/a/single_file/", HTTP_HOST="archive.example.com", secure=True
    )
    assert archived.status_code == 200
    assert archived["Link"] == f'<{URL}>; rel="original"'
    assert "Memento-Datetime" in archived
    assert "sandbox" in archived["Content-Security-Policy"]


def test_a_capture_in_progress_is_no_memento(owner):
    from linkhome.links.services import add_link

    queued = add_link(owner, URL).snapshot
    response = client_for(owner).get(f"/s/{queued.pk}/")
    assert "Memento-Datetime" not in response
    assert client_for(owner).get(f"/timemap/json/{URL}").status_code == 404
