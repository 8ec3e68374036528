"""Addresses are judged when they are added, in one place that the web form, the API and
the CLI share: credentials are cut out (and the person told), spaces in the path are
percent-encoded, and invisible characters, bidi controls and other whitespace are refused
with a reason in the reader's language. Addresses stored before, with credentials in them,
are never shown with them."""

import json
import sqlite3

import pytest
from django.contrib.messages import get_messages

from linkhome.archive.models import Snapshot
from linkhome.lib.urls import InvalidUrl, clean_submitted_url, display_url
from linkhome.links.models import Link
from linkhome.links.services import add_link
from linkhome.search.indexing import index_links
from linkhome.testing.factories import client_for
from linkhome.testing.processes import linkhome_env, run_cli
from linkhome.worker.sequence import capture_and_follow

pytestmark = pytest.mark.django_db

STRIPPED = [
    ("https://user:secretpw@example.com/a", "https://example.com/a"),
    ("https://user@example.com/a?q=1", "https://example.com/a?q=1"),
    ("example.com@evil.example/x", "https://evil.example/x"),  # the real host, shown
    ("https://u:p@[::1]:8080/", "https://[::1]:8080/"),
]
ENCODED = [
    ("https://example.com/a b?q=x y#p q", "https://example.com/a%20b?q=x%20y#p%20q"),
    ("  https://example.com/ends  ", "https://example.com/ends"),
]
REFUSED = [
    ("https://example.com/\u202etxt.exe", "bidirectional", "U+202E"),
    ("https://exa\u202dmple.com/", "bidirectional", "U+202D"),
    ("https://example.com/\u2066x", "bidirectional", "U+2066"),
    ("https://example.com/\u2069x", "bidirectional", "U+2069"),
    ("https://example.com/\u200ex", "bidirectional", "U+200E"),
    ("https://example.com/\u200fx", "bidirectional", "U+200F"),
    ("https://example.com/\u200bx", "invisible", "U+200B"),
    ("https://example.com/a\u3000b", "space character", "U+3000"),
    ("https://example.com/a\u00a0b", "space character", "U+00A0"),
    ("https://example.com/a\tb", "control", "U+0009"),
    ("https://exa mple.com/", "host name contains spaces", ""),
]


@pytest.mark.parametrize(("raw", "kept"), STRIPPED)
def test_credentials_are_cut_out_and_said(raw, kept):
    submitted = clean_submitted_url(raw)
    assert (submitted.url, submitted.credentials_removed) == (kept, True)


@pytest.mark.parametrize(("raw", "kept"), ENCODED)
def test_spaces_inside_the_address_are_percent_encoded(raw, kept):
    assert clean_submitted_url(raw).url == kept
    assert not clean_submitted_url(raw).credentials_removed


@pytest.mark.parametrize(("raw", "reason", "code"), REFUSED)
def test_invisible_characters_are_refused_by_name(raw, reason, code):
    with pytest.raises(InvalidUrl, match=reason) as caught:
        clean_submitted_url(raw)
    assert code in str(caught.value)


@pytest.mark.parametrize(
    ("url", "shown"),
    [
        ("https://user:pw@example.com/a@b", "https://example.com/a@b"),
        ("https://example.com/a@b?c=d@e", "https://example.com/a@b?c=d@e"),
        ("https://example.com/", "https://example.com/"),
        ("", ""),
    ],
)
def test_display_url_drops_only_credentials(url, shown):
    assert display_url(url) == shown


# --- the same door from the web form, the API and the CLI ---------------------------------

CREDENTIALED = "https://user:secretpw@example.com/door"


def add_on_the_web(owner, url: str, language: str) -> tuple[bool, str]:
    response = client_for(owner).post("/add/", {"url": url}, HTTP_ACCEPT_LANGUAGE=language)
    said = " ".join(str(m) for m in get_messages(response.wsgi_request))
    return response.status_code == 302 and "/s/" in response["Location"], said


def add_by_api(owner, url: str, language: str) -> tuple[bool, str]:
    response = client_for(owner).post(
        "/api/links", {"url": url}, content_type="application/json", HTTP_ACCEPT_LANGUAGE=language
    )
    body = response.json()
    return response.status_code == 201, body.get("detail") or " ".join(body.get("warnings", []))


def add_by_cli(owner, url: str, language: str, tmp_path) -> tuple[bool, str]:
    locale = "zh_CN.UTF-8" if language.startswith("zh") else "en_US.UTF-8"
    env = {**linkhome_env(tmp_path), "LANG": locale, "LANGUAGE": "", "LC_ALL": ""}
    result = run_cli(env, "add", url, "--json")
    return result.returncode == 0, result.stdout + result.stderr


ADAPTERS = {"web": add_on_the_web, "api": add_by_api, "cli": add_by_cli}


def _add(adapter: str, owner, url: str, language: str, tmp_path) -> tuple[bool, str]:
    if adapter == "cli":
        return add_by_cli(owner, url, language, tmp_path)
    return ADAPTERS[adapter](owner, url, language)


def _stored_urls(adapter: str, tmp_path) -> list[str]:
    if adapter != "cli":
        return list(Link.objects.values_list("url", flat=True))
    listed = run_cli(linkhome_env(tmp_path), "list", "--json")
    return [json.loads(line)["url"] for line in listed.stdout.splitlines()]


@pytest.mark.parametrize("adapter", ADAPTERS)
@pytest.mark.parametrize(
    ("language", "said"),
    [
        ("en", "user name and password in the address were removed"),
        ("zh-hans", "用户名和密码已被去掉"),
    ],
)
def test_every_door_cuts_credentials_out_and_says_so(owner, tmp_path, adapter, language, said):
    added, message = _add(adapter, owner, CREDENTIALED, language, tmp_path)
    assert added, message
    assert said in message
    assert "secretpw" not in message
    assert _stored_urls(adapter, tmp_path) == ["https://example.com/door"]


@pytest.mark.parametrize("adapter", ADAPTERS)
@pytest.mark.parametrize(
    ("language", "said"),
    [("en", "bidirectional control character (U+202E"), ("zh-hans", "双向文本控制字符（U+202E）")],
)
def test_every_door_refuses_a_bidi_control_in_the_readers_language(
    owner, tmp_path, adapter, language, said
):
    added, message = _add(adapter, owner, "https://example.com/\u202egpj.exe", language, tmp_path)
    assert not added
    assert said in message
    assert _stored_urls(adapter, tmp_path) == []


@pytest.mark.parametrize("adapter", ["web", "api"])
def test_every_door_encodes_a_space_in_the_path(owner, tmp_path, adapter):
    added, message = _add(adapter, owner, "https://example.com/a b", "en", tmp_path)
    assert added, message
    assert _stored_urls(adapter, tmp_path) == ["https://example.com/a%20b"]


# --- links stored with credentials before the door existed --------------------------------

PAGE = b"<html><head><title>Doorway page</title></head><body><p>Kept text.</p></body></html>"


def test_a_stored_password_is_never_shown(http_server, owner, other_user):
    http_server.route("/kept", body=PAGE, headers=[("Content-Type", "text/html; charset=utf-8")])
    added = add_link(owner, http_server.url("/kept"), tags=["kept"])
    snapshot = capture_and_follow(added.snapshot.pk)
    # As a link saved before the door existed: the password is in the stored address.
    secret = http_server.url("/kept").replace("://", "://user:secretpw@")
    Link.objects.filter(pk=added.link.pk).update(url=secret)
    Snapshot.objects.filter(pk=snapshot.pk).update(url=secret, final_url=secret)
    index_links([added.link.pk], reuse=False)
    paths = [
        "/",
        f"/s/{snapshot.pk}/",
        "/tags/kept/",
        "/search/?q=Doorway",
        f"/api/links/{added.link.pk}",
        f"/api/snapshots/{snapshot.pk}",
        "/api/search?q=Doorway",
        f"/api/snapshots/{snapshot.pk}/related",
    ]
    for viewer in (None, other_user, owner):
        client = client_for(viewer)
        for path in paths:
            response = client.get(path)
            # The API but its search wants credentials; what it says then is checked too.
            signed_out_api = viewer is None and path.startswith("/api/") and "search" not in path
            assert response.status_code == (401 if signed_out_api else 200), (viewer, path)
            assert b"secretpw" not in response.content, (viewer, path)
    owners = client_for(owner)
    for path in ("/api/links", f"/links/{added.link.pk}/edit/", f"/links/{added.link.pk}/delete/"):
        assert b"secretpw" not in owners.get(path).content, path
    found = client_for().get("/api/search", {"q": "Doorway"}).json()["results"]
    assert [hit["url"] for hit in found] == [http_server.url("/kept")]
    assert client_for().get("/api/search", {"q": "secretpw"}).json()["results"] == []


def test_the_cli_never_prints_a_stored_password(tmp_path):
    env = linkhome_env(tmp_path)
    added = run_cli(env, "add", "https://example.com/old", "--json")
    assert added.returncode == 0, added.stderr
    snapshot_id = json.loads(added.stdout)["snapshot"]["id"]
    # As a link saved before the door existed: the password is in the stored address.
    with sqlite3.connect(tmp_path / "linkhome.sqlite3") as db:
        secret = "https://user:secretpw@example.com/old"
        db.execute("UPDATE links_link SET url = ?", (secret,))
        db.execute("UPDATE capture_snapshot SET url = ?", (secret,))
    for args in (["list"], ["list", "--json"], ["show", str(snapshot_id), "--json"]):
        shown = run_cli(env, *args)
        assert shown.returncode == 0, shown.stderr
        assert "example.com/old" in shown.stdout and "secretpw" not in shown.stdout, args
