"""LINKHOME_BROWSER=auto|always|off, the link's own wish, and a machine without Chromium."""

import pytest
from django.test import Client

from linkhome.links.services import add_link
from linkhome.worker.sequence import capture_and_follow
from tests.browser_support import HTML, artifacts_of, require_chromium

pytestmark = pytest.mark.django_db(transaction=True)

BROWSER_KINDS = {"screenshot", "thumbnail", "pdf", "dom"}
LONG_TEXT = "<p>" + "A page that reads fine without any script at all. " * 12 + "</p>"
TINY = b"<!DOCTYPE html><html><head><title>Tiny</title></head><body><p>Hi.</p></body></html>"


def long_page(server) -> str:  # noqa: ANN001
    body = f"<!DOCTYPE html><html><head><title>Long</title></head><body>{LONG_TEXT}</body></html>"
    return server.route("/long", body=body.encode(), headers=HTML)


def tiny_page(server) -> str:  # noqa: ANN001
    return server.route("/tiny", body=TINY, headers=HTML)


def made(snapshot) -> dict[str, str]:  # noqa: ANN001
    """kind -> status of the browser's artifacts."""
    return {k: a.status for k, a in artifacts_of(snapshot).items() if k in BROWSER_KINDS}


def test_off_makes_no_browser_artifacts_and_says_why(http_server, owner, settings):
    settings.BROWSER = "off"
    snapshot = capture_and_follow(add_link(owner, tiny_page(http_server), browser=True).snapshot.pk)
    assert snapshot.status == "succeeded", snapshot.error
    assert made(snapshot) == {"screenshot": "skipped"}
    assert (
        artifacts_of(snapshot)["screenshot"].error == "browser mode is off (LINKHOME_BROWSER=off)"
    )


def test_without_chromium_http_mode_still_works_and_the_page_says_why(http_server, owner, settings):
    settings.BROWSER = "always"
    settings.BROWSER_EXECUTABLE = "/nonexistent/chromium"
    snapshot = capture_and_follow(add_link(owner, tiny_page(http_server)).snapshot.pk)
    assert snapshot.status == "succeeded", snapshot.error
    kinds = artifacts_of(snapshot)
    assert kinds["single_file"].status == "ok" and kinds["warc"].status == "ok"
    assert made(snapshot) == {"screenshot": "skipped"}
    assert kinds["screenshot"].error == "Chromium is not installed"
    client = Client()
    client.force_login(owner)
    page = client.get(f"/s/{snapshot.pk}/", HTTP_ACCEPT_LANGUAGE="zh-CN").content.decode()
    assert "截图: 已跳过 (未安装 Chromium)" in page


def test_auto_leaves_a_page_with_text_to_http_mode(http_server, owner, settings):
    require_chromium()
    settings.BROWSER = "auto"
    snapshot = capture_and_follow(add_link(owner, long_page(http_server)).snapshot.pk)
    assert made(snapshot) == {"screenshot": "skipped"}
    assert artifacts_of(snapshot)["screenshot"].error.startswith("not needed")


def test_auto_uses_the_browser_when_the_link_asks(http_server, owner, settings):
    require_chromium()
    settings.BROWSER = "auto"
    snapshot = capture_and_follow(add_link(owner, long_page(http_server), browser=True).snapshot.pk)
    assert made(snapshot) == dict.fromkeys(BROWSER_KINDS, "ok")


def test_auto_uses_the_browser_when_http_mode_found_almost_no_text(http_server, owner, settings):
    require_chromium()
    settings.BROWSER = "auto"
    snapshot = capture_and_follow(add_link(owner, tiny_page(http_server)).snapshot.pk)
    assert made(snapshot) == dict.fromkeys(BROWSER_KINDS, "ok")


def test_always_uses_the_browser_for_every_html_page(http_server, owner, settings):
    require_chromium()
    settings.BROWSER = "always"
    snapshot = capture_and_follow(add_link(owner, long_page(http_server)).snapshot.pk)
    assert made(snapshot) == dict.fromkeys(BROWSER_KINDS, "ok")


def test_a_non_html_document_never_goes_to_the_browser(http_server, owner, settings):
    settings.BROWSER = "always"
    url = http_server.route("/a.txt", body=b"plain text", headers=[("Content-Type", "text/plain")])
    snapshot = capture_and_follow(add_link(owner, url).snapshot.pk)
    assert made(snapshot) == {}
