"""The surface of issue 14 (first part): designed error pages in both languages with the
header and a way home, the logo and favicon, light and dark themes without another origin,
an add form that accepts what the server accepts, a clean public feed, messages in the
reader's language, light pages."""

import re
from pathlib import Path

import pytest
from django.test import Client

from linkhome.archive.models import Snapshot
from linkhome.links.deletion import delete_link
from linkhome.links.services import add_link
from linkhome.testing.factories import client_for, finished, kept

pytestmark = pytest.mark.django_db

HOME_LINK = 'href="/"'
PAGE_LIMIT = 150 * 1024  # bytes of HTML, CSS and script a page may weigh before images
STATIC = Path(__file__).resolve().parents[1] / "linkhome" / "web" / "static"


def _designed(response, code: int, words: str) -> str:
    page = response.content.decode()
    assert response.status_code == code
    assert 'class="site-header"' in page and "logo.svg" in page, "the site's header"
    assert HOME_LINK in page or 'href="/"' in page, "a way home"
    assert words in page, page[:2000]
    assert "<h1>Not Found</h1>" not in page
    return page


# --- error pages ------------------------------------------------------------------------


def test_mistyped_private_and_deleted_addresses_get_the_designed_404(owner, other_user):
    private = kept(
        owner, "https://example.org/secret", "text", title="Secret", visibility="private"
    )
    gone = kept(owner, "https://example.org/gone", "text", title="Gone")
    delete_link(gone.link)
    other = client_for(other_user)
    for path in ("/no-such-page/", f"/s/{private.pk}/", f"/s/{gone.pk}/", "/s/abc/"):
        page = _designed(other.get(path), 404, "页面不存在")
        assert "返回首页" in page and "Secret" not in page
    english = other.get("/no-such-page/", HTTP_ACCEPT_LANGUAGE="en")
    _designed(english, 404, "Back to the home page")
    assert 'lang="en"' in english.content.decode()


def test_an_unknown_api_path_answers_json_404(db):
    response = Client().get("/api/no-such-thing", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 404 and response.json() == {"detail": "Not found."}


def test_a_refused_csrf_check_gets_the_designed_403(owner):
    client = Client(enforce_csrf_checks=True)
    client.force_login(owner)
    page = _designed(client.post("/add/", {"url": "https://example.org/"}), 403, "禁止访问")
    assert "刷新页面" in page


def test_the_add_rate_limit_is_a_designed_429(owner, settings):
    settings.ADD_LIMIT_PER_MINUTE = 1
    client = client_for(owner)
    client.post("/add/", {"url": "https://example.org/1"})
    refused = client.post("/add/", {"url": "https://example.org/2"})
    assert refused["Retry-After"] == "60"
    _designed(refused, 429, "请一分钟后再试")
    english = client.post("/add/", {"url": "https://example.org/3"}, HTTP_ACCEPT_LANGUAGE="en")
    _designed(english, 429, "try again in a minute")


def test_400_and_500_pages_are_standalone_but_designed(db, settings):
    bad_host = Client(HTTP_HOST="evil.example").get("/")
    page = _designed(bad_host, 400, "请求有误")
    assert "返回首页" in page
    settings.ROOT_URLCONF = "tests.error_urls"
    failing = Client(raise_request_exception=False)
    _designed(failing.get("/boom/", HTTP_ACCEPT_LANGUAGE="en"), 500, "Back to the home page")


def test_the_archive_origin_keeps_its_own_minimal_answer(db, settings):
    settings.ARCHIVE_ORIGIN = "http://archive.test"
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "archive.test"]
    response = Client(HTTP_HOST="archive.test").get("/no-such-page/")
    assert response.status_code == 404
    assert response.content == b"Only archived artifacts are served on this origin."


# --- identity, themes, weight -----------------------------------------------------------


def test_the_favicon_answers_and_every_page_names_it(db):
    icon = Client().get("/favicon.ico")
    assert icon.status_code == 200 and icon["Content-Type"] == "image/x-icon"
    assert icon.content[:4] == b"\x00\x00\x01\x00"  # an ICO header
    home = Client().get("/").content.decode()
    assert 'rel="icon"' in home and "/favicon.ico" in home


def test_themes_are_chosen_before_the_first_paint_and_remembered():
    static = STATIC / "web"
    css = (static / "linkhome.css").read_text()
    assert "prefers-color-scheme: dark" in css and ":root[data-theme=dark]" in css
    assert ":root:not([data-theme=light])" in css  # the reader's "light" beats the system
    script = (static / "theme.js").read_text()
    assert "localStorage" in script and "data-theme" in script


def test_pages_load_nothing_from_another_origin_and_stay_light(owner):
    snapshot = kept(owner, "https://example.org/a", "words " * 200, title="A page")
    client = client_for(owner)
    for path in ("/", f"/s/{snapshot.pk}/", "/tags/", "/search/?q=words", "/no-such-page/"):
        page = client.get(path).content.decode()
        head = page.split("</head>")[0]
        assert "theme.js" in head and head.index("theme.js") < head.index("linkhome.css")
        assert not re.search(r"""<(?:script|link|img)[^>]+(?:src|href)=["'](?:https?:)?//""", page)
        assets = re.findall(r"""(?:src|href)="/static/([^"]+\.(?:css|js))""", page)
        weight = len(page.encode()) + sum((STATIC / a).stat().st_size for a in assets)
        assert len(assets) >= 3 and weight < PAGE_LIMIT, (path, weight)


# --- the add form ----------------------------------------------------------------------


def test_the_add_form_accepts_what_the_server_accepts(owner):
    client = client_for(owner)
    page = client.get("/").content.decode()
    field = re.search(r'<input[^>]*name="url"[^>]*>', page).group(0)
    assert 'type="text"' in field and 'inputmode="url"' in field and 'type="url"' not in field
    added = client.post("/add/", {"url": "www.example.org/page"})
    assert added.status_code == 302 and added["Location"].startswith("/s/")
    assert Snapshot.objects.get().url == "https://www.example.org/page"
    refused = client.post("/add/", {"url": "ftp://example.org/x"}, follow=True)
    assert "只能保存 http 和 https 地址" in refused.content.decode()  # the server's own words


# --- the public feed -------------------------------------------------------------------


def test_the_public_feed_shows_only_finished_public_snapshots_with_a_real_title(owner):
    shown = kept(owner, "https://example.org/story", "text", title="A real story")
    partial = add_link(owner, "https://example.org/partial").snapshot
    partial.title = "Partly kept"
    finished(partial, "partial")
    named = add_link(owner, "https://example.org/data.csv", title="Quarterly figures").snapshot
    named.title = "data.csv"
    finished(named, "succeeded")  # the keeper's own title makes it real
    queued = add_link(owner, "https://example.org/q/3f9a8b7c6d5e").snapshot
    failed = add_link(owner, "https://example.org/failed").snapshot
    failed.title = "Would be shown"
    finished(failed, "failed", "connection refused")
    chart = add_link(owner, "https://example.org/img/chart.png").snapshot
    chart.title = "chart.png"
    finished(chart, "succeeded")
    untitled = add_link(owner, "https://example.org/untitled").snapshot
    finished(untitled, "succeeded")
    address = add_link(owner, "https://example.org/addr").snapshot
    address.title = "https://example.org/addr"
    finished(address, "succeeded")
    private = kept(
        owner, "https://example.org/private", "t", title="Private one", visibility="private"
    )
    feed = Client().get("/").content.decode().split('id="feed"')[1]
    for snapshot in (shown, partial, named):
        assert f"/s/{snapshot.pk}/" in feed
    for snapshot in (queued, failed, chart, untitled, address, private):
        assert f"/s/{snapshot.pk}/" not in feed, snapshot.title


# --- messages in the reader's language -------------------------------------------------


def test_validation_messages_are_in_the_readers_language(owner):
    client = client_for(owner)
    search = client.get("/search/", {"q": "after:2024-13-45"}).content.decode()
    assert "after:2024-13-45 不是日期" in search and "is not a date" not in search
    english = client.get("/search/", {"q": "after:2024-13-45"}, HTTP_ACCEPT_LANGUAGE="en")
    assert "is not a date" in english.content.decode()
    api = client.get("/api/search", {"q": "-after:2024-01-01"})
    assert api.status_code == 400 and "不支持" in api.json()["detail"]


def test_the_failed_badge_never_wraps():
    css = (STATIC / "web" / "linkhome.css").read_text()
    badge = re.search(r"\n\.badge \{[^}]*\}", css).group(0)
    assert "white-space: nowrap" in badge


def test_tag_rule_messages_are_in_the_readers_language(owner):
    kept(owner, "https://example.org/tagged", "text", title="Tagged", tags=["新闻"])
    client = client_for(owner)
    renamed = client.post("/tags/新闻/edit/", {"action": "rename", "other": " "}, follow=True)
    page = renamed.content.decode()
    assert "a tag needs a name" not in page and "标签" in page.split('class="messages"')[1][:200]
    english = client.post(
        "/tags/新闻/edit/",
        {"action": "rename", "other": " "},
        follow=True,
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert "a tag needs a name" in english.content.decode()


def test_the_full_title_stays_available(owner):
    snapshot = add_link(owner, "https://techcrunch.com/pine-labs").snapshot
    snapshot.title, snapshot.full_title = "Pine Labs moves", "Pine Labs moves | TechCrunch"
    finished(snapshot, "succeeded")
    client = client_for(owner)
    page = client.get(f"/s/{snapshot.pk}/").content.decode()
    assert '<span id="full-title">Pine Labs moves | TechCrunch</span>' in page
    assert client.get(f"/api/snapshots/{snapshot.pk}").json()["full_title"] == (
        "Pine Labs moves | TechCrunch"
    )
