"""Chinese by default, English from the browser or the switcher, every string translated."""

import re
from pathlib import Path

import pytest

from linkhome.accounts.services import nickname_of
from linkhome.links.services import add_link
from linkhome.testing.factories import client_for

pytestmark = pytest.mark.django_db
CATALOGUE = Path(__file__).parent.parent / "linkhome/locale/zh_Hans/LC_MESSAGES/django.po"
HAN = re.compile(r"[\u3400-\u9fff\uff00-\uffef\u3000-\u303f]+")
PROMISES = (
    "link之家",
    "链接快照平台",
    "输入网页链接，自动生成快照",
    "标签化管理网页链接",
    "添加链接",
)


def test_the_header_is_chinese_by_default(owner):
    page = client_for(owner).get("/").content.decode()
    assert all(text in page for text in PROMISES)
    assert '<html lang="zh-hans">' in page


def test_the_browsers_language_gives_english(owner):
    page = client_for(owner).get("/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9").content.decode()
    assert "Add link" in page and "Paste a web page link, get a snapshot" in page
    assert '<html lang="en">' in page


def test_the_switcher_remembers_the_choice(owner):
    client = client_for(owner)
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/tags/"})
    assert response.status_code == 302 and response["Location"] == "/tags/"
    assert "My tags" in client.get("/tags/").content.decode()
    client.post("/i18n/setlang/", {"language": "zh-hans", "next": "/"})
    assert "我的标签" in client.get("/tags/").content.decode()


def english_pages(owner) -> dict[str, str]:
    added = add_link(owner, "https://example.com/e", tags=["news"], title="A title")
    signed_in, anonymous = client_for(owner), client_for()
    urls = ["/", "/tags/", "/tags/news/", f"/s/{added.snapshot.pk}/", "/status/"]
    urls += [f"/links/{added.link.pk}/edit/", f"/links/{added.link.pk}/delete/"]
    urls += ["/accounts/nickname/", "/accounts/password/", "/search/?q=title", "/search/?q=nothing"]
    pages = {url: signed_in.get(url, HTTP_ACCEPT_LANGUAGE="en") for url in urls}
    for url in ("/accounts/login/", "/accounts/signup/", "/"):
        pages["anonymous " + url] = anonymous.get(url, HTTP_ACCEPT_LANGUAGE="en")
    return {url: response.content.decode() for url, response in pages.items()}


def test_english_pages_carry_no_untranslated_chinese(owner):
    allowed = {"link之家", "简体中文", "之家", nickname_of(owner), "无邪的丝瓜"}
    for url, html in english_pages(owner).items():
        stray = set(HAN.findall(html)) - allowed
        assert not stray, f"{url} shows untranslated text: {stray}"


def test_every_catalogue_entry_is_translated():
    entries = CATALOGUE.read_text(encoding="utf-8").split("\n\n")[1:]  # [0] is the header
    untranslated = [e for e in entries if re.search(r'^msgstr(\[0\])? ""\Z', e.strip(), re.M)]
    assert entries and not untranslated, untranslated
