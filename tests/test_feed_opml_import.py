"""Importing an OPML file of feeds (the 订阅 page, POST /api/subscriptions/opml, `linkhome
subscribe --opml`): each feed once, the folders it sits in as tags, an address that cannot
be a feed refused with the reason; a file that is not OPML is refused at once, saying why."""

import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from linkhome.accounts.services import create_token
from linkhome.cli.main import main
from linkhome.imports.models import Subscription
from linkhome.testing.factories import client_for

pytestmark = pytest.mark.django_db(transaction=True)

OPML = """<?xml version="1.0" encoding="UTF-8"?>
<opml version="2.0">
  <head><title>我的订阅</title></head>
  <body>
    <outline text="技术" title="技术">
      <outline text="Python, 博客" title="Python, 博客">
        <outline type="rss" text="Py Blog" title="Py Blog" xmlUrl="https://py.example.org/feed"/>
      </outline>
      <outline type="rss" text="科技新闻" xmlUrl="https://news.example.cn/rss.xml"/>
    </outline>
    <outline type="rss" text="Top" xmlurl="https://top.example.org/atom.xml"/>
    <outline type="rss" text="Again" xmlUrl="https://top.example.org/atom.xml"/>
    <outline type="rss" text="Bad" xmlUrl="javascript:alert(1)"/>
  </body>
</opml>""".encode()


def opml(content: bytes = OPML) -> SimpleUploadedFile:
    return SimpleUploadedFile("feeds.opml", content, content_type="text/x-opml")


def subscribed(owner) -> dict[str, tuple[str, list[str], str]]:
    return {
        s.url: (s.title, s.tags, s.visibility) for s in Subscription.objects.filter(owner=owner)
    }


def test_the_page_imports_an_opml_file_with_folders_as_tags(owner):
    client = client_for(owner)
    response = client.post(
        "/subscriptions/opml/", {"file": opml(), "tags": "rss", "visibility": "private"}
    )
    assert response.status_code == 302
    assert subscribed(owner) == {
        "https://py.example.org/feed": ("Py Blog", ["rss", "技术", "Python 博客"], "private"),
        "https://news.example.cn/rss.xml": ("科技新闻", ["rss", "技术"], "private"),
        "https://top.example.org/atom.xml": ("Top", ["rss"], "private"),
    }
    page = client.get("/subscriptions/").content.decode()
    assert "已订阅 3 个订阅源" in page and "javascript:alert(1)" in page  # said, refused
    assert "Py Blog" in page


@pytest.mark.parametrize(
    ("content", "said"),
    [
        (b"<opml><body><outline text='x'", "不是 OPML 文件：not well-formed XML"),
        (b"<rss version='2.0'><channel/></rss>", "its root element is not <opml>"),
        (b"<opml version='2.0'><head/><body></body></opml>", "这个 OPML 文件里没有订阅源"),
        (b"", "不是 OPML 文件：the file is empty"),
    ],
)
def test_a_file_that_is_not_opml_is_refused_at_once_saying_why(owner, content, said):
    response = client_for(owner).post("/subscriptions/opml/", {"file": opml(content)})
    assert response.status_code == 400
    assert said in response.content.decode().replace("&lt;", "<").replace("&gt;", ">")
    assert not Subscription.objects.exists()


def test_the_api_and_the_cli_import_opml(owner, tmp_path, capsys):
    api = Client(HTTP_AUTHORIZATION=f"Bearer {create_token(owner, 't').key}")
    response = api.post("/api/subscriptions/opml", {"file": opml(), "tags": ["api"]})
    assert response.status_code == 201
    body = response.json()
    assert len(body["subscribed"]) == 3 and body["existing"] == []
    assert [r["url"] for r in body["refused"]] == ["javascript:alert(1)"]
    broken = api.post("/api/subscriptions/opml", {"file": opml(b"<opml><body>")})
    assert broken.status_code == 400 and "OPML" in broken.json()["detail"]

    path = tmp_path / "feeds.opml"
    path.write_bytes(OPML)
    assert main(["subscribe", "--opml", str(path), "--json"]) == 0
    again = json.loads(capsys.readouterr().out)
    assert again["subscribed"] == [] and len(again["existing"]) == 3
    path.write_bytes(b"not xml at all")
    assert main(["subscribe", "--opml", str(path)]) == 1
    assert "OPML" in capsys.readouterr().err
