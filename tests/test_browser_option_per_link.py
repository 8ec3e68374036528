"""A link may ask for browser mode: services, REST API, CLI and the web form all take it."""

import json
import subprocess
from pathlib import Path

import pytest
from django.test import Client

from linkhome.accounts.services import create_token
from linkhome.links.models import Link
from linkhome.links.services import add_link
from linkhome.testing.processes import linkhome_env, run_cli
from tests.browser_support import HTML, require_chromium

BROWSER_KINDS = {"screenshot", "thumbnail", "pdf", "dom"}
LONG = ("<p>" + "Plenty of text that HTTP mode reads without a browser. " * 10 + "</p>").encode()


@pytest.mark.django_db
def test_add_link_keeps_the_wish_until_it_is_changed(owner):
    url = "https://example.com/app"
    assert add_link(owner, url, browser=True).link.browser is True
    assert add_link(owner, url).link.browser is True  # not given: kept
    assert add_link(owner, url, browser=False).link.browser is False
    assert add_link(owner, "https://example.com/other").link.browser is False


@pytest.mark.django_db
def test_the_api_takes_and_shows_the_option(owner):
    client = Client(HTTP_AUTHORIZATION=f"Bearer {create_token(owner).key}")
    body = json.dumps({"url": "https://example.com/app", "browser": True})
    created = client.post("/api/links", body, content_type="application/json")
    assert created.status_code == 201, created.content
    assert created.json()["link"]["browser"] is True
    assert Link.objects.get(owner=owner).browser is True


@pytest.mark.django_db
def test_the_web_form_has_a_checkbox_for_it(owner):
    client = Client()
    client.force_login(owner)
    home = client.get("/", HTTP_ACCEPT_LANGUAGE="zh-CN").content.decode()
    assert 'form id="add-link"' in home and 'name="browser"' in home and "截图" in home
    client.post("/add/", {"url": "https://example.com/app", "browser": "on"})
    assert Link.objects.get(owner=owner).browser is True


def linkhome(data_dir: Path, *args: str, **env: str) -> subprocess.CompletedProcess:
    return run_cli(linkhome_env(data_dir, **env), *args)


def test_the_cli_asks_with_browser_and_show_lists_the_browser_artifacts(http_server, tmp_path):
    require_chromium()
    url = http_server.route("/long", body=LONG, headers=HTML)
    added = linkhome(tmp_path, "add", url, "--browser", "--wait", "--json", LINKHOME_BROWSER="auto")
    assert added.returncode == 0, added.stderr
    data = json.loads(added.stdout)
    assert data["link"]["browser"] is True
    shown = linkhome(tmp_path, "show", str(data["snapshot"]["id"]), "--json")
    artifacts = {a["kind"]: a for a in json.loads(shown.stdout)["snapshot"]["artifacts"]}
    assert {kind for kind, a in artifacts.items() if a["status"] == "ok"} >= BROWSER_KINDS
    assert artifacts["screenshot"]["mime"] == "image/png"
