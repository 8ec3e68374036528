"""The Tools page (/tools/) with the bookmarklet and its instructions in both languages, and
the web app manifest every page links to: installable (name, icons, start_url, standalone)
and a share target that lands in the add window."""

import json
import struct
from urllib.parse import unquote

import lxml.html
import pytest
from django.contrib.staticfiles import finders
from django.test import Client

from linkhome.testing.factories import client_for

pytestmark = pytest.mark.django_db


def bookmarklet_of(response) -> str:
    return (
        lxml.html.fromstring(response.content.decode()).get_element_by_id("bookmarklet").get("href")
    )


def test_the_bookmarklet_only_opens_a_window_on_linkhome(owner):
    for client in (Client(), client_for(owner)):
        response = client.get("/tools/")
        assert response.status_code == 200
        href = bookmarklet_of(response)
        assert href.startswith("javascript:")
        code = unquote(href.removeprefix("javascript:"))  # what the browser runs
        assert '"http://testserver/save/"' in code
        assert "encodeURIComponent(location.href)" in code
        assert "encodeURIComponent(document.title)" in code
        assert "window.open(" in code and "location.href=u" in code  # blocked popup: same tab
        # Nothing is added to the page it runs on: no element, no script, no style.
        for injecting in ("createElement", "appendChild", "innerHTML", "document.write", "<"):
            assert injecting not in code


def test_the_bookmarklet_is_built_for_the_address_the_instance_is_reached_at(db, settings):
    settings.ALLOWED_HOSTS = ["links.example.org"]
    response = Client(HTTP_HOST="links.example.org").get("/tools/", secure=True)
    assert '"https://links.example.org/save/"' in unquote(bookmarklet_of(response))


def test_the_instructions_are_in_the_readers_language(db):
    chinese = Client().get("/tools/").content.decode()
    assert "在任何网页上保存：书签小工具" in chinese and "拖到书签栏" in chinese
    assert "把 link之家 安装为应用" in chinese and "键盘快捷键" in chinese
    english = Client().get("/tools/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Save from any page: the bookmarklet" in english
    assert "onto the bookmarks bar" in english and "Install link之家 as an app" in english


def test_the_header_links_to_the_tools_page(owner):
    for client in (Client(), client_for(owner)):
        assert 'href="/tools/"' in client.get("/").content.decode()


def png_size(data: bytes) -> tuple[int, int]:
    assert data[:8] == b"\x89PNG\r\n\x1a\n" and data[12:16] == b"IHDR"
    width, height = struct.unpack(">II", data[16:24])
    return width, height


def test_the_manifest_makes_an_installable_app_and_a_share_target(db):
    page = lxml.html.fromstring(Client().get("/").content.decode())
    assert page.xpath("//link[@rel='manifest']/@href") == ["/manifest.webmanifest"]
    response = Client().get("/manifest.webmanifest")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/manifest+json"
    manifest = json.loads(response.content)
    assert manifest["name"] == "link之家" and manifest["short_name"] == "link之家"
    assert manifest["start_url"] == "/" and manifest["display"] == "standalone"
    sizes = {}
    for icon in manifest["icons"]:
        path = finders.find(icon["src"].removeprefix("/static/"))
        assert path, f"{icon['src']} is not a static file"
        if icon["type"] == "image/png":
            with open(path, "rb") as f:
                sizes[icon["sizes"]] = png_size(f.read())
    assert sizes == {"192x192": (192, 192), "512x512": (512, 512)}
    assert manifest["share_target"] == {
        "action": "/save/",
        "method": "GET",
        "enctype": "application/x-www-form-urlencoded",
        "params": {"title": "title", "text": "text", "url": "url"},
    }


def test_the_manifest_describes_the_app_in_the_readers_language(db):
    chinese = json.loads(Client().get("/manifest.webmanifest").content)
    english = json.loads(Client().get("/manifest.webmanifest", HTTP_ACCEPT_LANGUAGE="en").content)
    assert chinese["lang"] == "zh-hans" and english["lang"] == "en"
    assert chinese["description"] != english["description"]
