"""Tag names are user text: whatever a person can type must survive every page, form, URL,
API route and CLI command that shows or takes a tag, for the owner, another person and
someone signed out. The hypothesis tests generate the names; the examples pin the ones
that broke pages for everyone (a "/" in a name answered 500 on the public feed)."""

import html
import itertools
import json
import re
from urllib.parse import urljoin, urlsplit

import pytest
from django.test import Client
from django.utils import translation
from django.utils.html import escape
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from linkhome.links.models import Tag
from linkhome.links.services import (
    LinkError,
    add_link,
    clean_tag_names,
    explain,
    set_tags,
)
from linkhome.testing.factories import client_for
from linkhome.testing.processes import linkhome_env, run_cli
from linkhome.worker.sequence import capture_and_follow

pytestmark = pytest.mark.django_db

# Names that broke something once, or that URLs treat specially.
AWKWARD = [
    "a/b",
    "<script>alert(1)</script>",
    "x/edit",
    "..",
    ".",
    ".hidden.",
    "100%",
    "%2F",
    "a?b#c",
    "a&b+c=d",
    "\"quoted\" 'too'",
    "\\back\\slash",
    "🏷️ 标签",
    "\u202eevil\u202c",
    "\u200fעברית",
    "ｆｕｌｌ／ｗｉｄｔｈ",
    "x" * 64,
    "# #x",
]
_unique = itertools.count()
PAGE = b"<html><head><title>A page</title></head><body><p>Some text.</p></body></html>"


def tag_text() -> st.SearchStrategy[str]:
    """Any text, minus only what the tag rules themselves refuse (or fold to nothing)."""
    return st.text(st.characters(codec="utf-8"), min_size=1, max_size=70).filter(_accepted)


def _accepted(raw: str) -> bool:
    try:
        return bool(clean_tag_names([raw]))
    except LinkError:
        return False


def _tagged_link(http_server, owner, raw: str):
    """A public link tagged `raw` and captured (search shows captured pages only), with a
    word of its own in its title to search for."""
    n = next(_unique)
    word = f"roundtrip{n}"
    http_server.route(f"/{n}", body=PAGE, headers=[("Content-Type", "text/html; charset=utf-8")])
    added = add_link(owner, http_server.url(f"/{n}"), tags=[raw], title=f"{word} page")
    capture_and_follow(added.snapshot.pk)
    return added, clean_tag_names([raw])[0], word


def _ok(client: Client, path: str, *, status: int = 200, **params) -> str:
    headers = {k: params.pop(k) for k in list(params) if k.startswith("HTTP_")}
    response = client.get(path, params, **headers)
    assert response.status_code == status, (path, response.status_code)
    return response.content.decode()


def _tag_hrefs(body: str, name: str) -> list[str]:
    """The targets of the tag chips showing `name` on a page, as a browser resolves them."""
    chip = re.compile(r'<a class="tag" href="([^"]*)">' + re.escape(escape(name)) + "</a>")
    return [
        urlsplit(urljoin("http://testserver/x/", html.unescape(h))).path for h in chip.findall(body)
    ]


def _shown_on_the_tag_page(client: Client, href: str, name: str) -> None:
    body = _ok(client, href)
    assert f'<h2><span class="tag">{escape(name)}</span></h2>' in body


def _edit_action(body: str, name: str) -> str:
    """The rename/merge/delete form's action for `name` on /tags/."""
    row = re.compile(
        r'<a class="tag" href="[^"]*">'
        + re.escape(escape(name))
        + r'</a>.*?<form method="post" action="([^"]*)">',
        re.DOTALL,
    )
    found = row.search(body)
    assert found, f"no edit form for {name!r}"
    return html.unescape(found.group(1))


def check_every_page(http_server, owner, other_user, raw: str) -> None:
    added, name, word = _tagged_link(http_server, owner, raw)
    snapshot_page = f"/s/{added.snapshot.pk}/"
    for viewer in (owner, other_user, None):
        client = client_for(viewer)
        for body in (_ok(client, "/"), _ok(client, "/search/", q=word)):
            assert _tag_hrefs(body, name), "the tag chip is missing or not escaped"
        hrefs = _tag_hrefs(_ok(client, snapshot_page), name)
        assert hrefs, "the snapshot page lost the tag"
        for href in set(hrefs):
            _shown_on_the_tag_page(client, href, name)
    _save_the_tag_box_unchanged(owner, added.link, snapshot_page, name)
    if "<" in name:
        assert name not in _ok(client_for(), "/")  # shown as text, never as markup
    _check_the_cloud(owner, name, word)


def _save_the_tag_box_unchanged(owner, link, snapshot_page: str, name: str) -> None:
    """The owner's tag box on the snapshot page, saved as shown, keeps the tag as it was."""
    client = client_for(owner)
    box = re.search(r'<input type="text" name="tags" value="([^"]*)"', _ok(client, snapshot_page))
    assert html.unescape(box.group(1)) == name
    client.post(f"/links/{link.pk}/tags/", {"tags": html.unescape(box.group(1))})
    assert [tag.name for tag in link.tags.all()] == [name]
    form = _ok(client, f"/links/{link.pk}/edit/")
    field = re.search(r'<input type="text" name="tags" value="([^"]*)"', form)
    data = {"title": link.title, "note": "", "visibility": "public"}
    response = client.post(f"/links/{link.pk}/edit/", {**data, "tags": html.unescape(field[1])})
    assert response.status_code == 302
    assert [tag.name for tag in link.tags.all()] == [name]


def _check_the_cloud(owner, name: str, word: str) -> None:
    """The owner's /tags/: the chip leads to the tag, "my links" filters by it, and the
    rename and delete forms find it."""
    client = client_for(owner)
    cloud = _ok(client, "/tags/")
    (href,) = set(_tag_hrefs(cloud, name))
    _shown_on_the_tag_page(client, href, name)
    mine = re.search(r'<a href="([^"]*)" class="muted">', cloud[cloud.index(escape(name)) :])
    assert word in _ok(client, html.unescape(mine.group(1)))
    renamed = f"renamed {next(_unique)}"
    action = _edit_action(cloud, name)
    response = client.post(action, {"action": "rename", "other": renamed})
    assert response.status_code == 302 and response["Location"] == "/tags/"
    assert Tag.objects.filter(owner=owner, name=renamed).exists()
    assert not Tag.objects.filter(owner=owner, name=name).exists()
    client.post(_edit_action(_ok(client, "/tags/"), renamed), {"action": "rename", "other": name})
    asked = client.post(_edit_action(_ok(client, "/tags/"), name), {"action": "delete"})
    assert asked.status_code == 200 and Tag.objects.filter(owner=owner, name=name).exists()
    confirm = re.search(r'<form id="tag-confirm" method="post" action="([^"]*)">', asked.text)
    response = client.post(html.unescape(confirm[1]), {"action": "delete-confirmed"})
    assert response.status_code == 302
    assert not Tag.objects.filter(owner=owner, name=name).exists()


@pytest.mark.parametrize("raw", AWKWARD)
def test_an_awkward_tag_name_works_on_every_page(http_server, owner, other_user, raw):
    check_every_page(http_server, owner, other_user, raw)


@hypothesis_settings(
    max_examples=30,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(raw=tag_text())
def test_any_tag_name_works_on_every_page(http_server, owner, other_user, raw):
    check_every_page(http_server, owner, other_user, raw)


def check_the_api(http_server, owner, other_user, raw: str) -> None:
    added, name, word = _tagged_link(http_server, owner, raw)
    link_id = added.link.pk
    owners = client_for(owner)
    listed = json.loads(_ok(owners, "/api/links", tag=name))
    assert (link_id, [name]) in [(link["id"], link["tags"]) for link in listed]
    assert all(name in link["tags"] for link in listed)
    for viewer in (owner, other_user, None):
        client = client_for(viewer)
        if viewer is not None:
            assert json.loads(_ok(client, f"/api/links/{link_id}"))["link"]["tags"] == [name]
        found = json.loads(_ok(client, "/api/search", q=word))["results"]
        assert [hit["tags"] for hit in found] == [[name]]
    created = owners.post(
        "/api/links",
        {"url": f"https://example.com/api/{next(_unique)}", "tags": [raw]},
        content_type="application/json",
    )
    assert created.status_code == 201 and created.json()["link"]["tags"] == [name]


@pytest.mark.parametrize("raw", ["a/b", "<script>alert(1)</script>", "100%", "a?b#c&d"])
def test_a_tag_export_finds_an_awkward_tag(http_server, owner, raw):
    added, name, _ = _tagged_link(http_server, owner, raw)
    response = client_for(owner).get("/api/export.wacz", {"tag": name})
    assert response.status_code == 200
    assert response["Content-Type"] == "application/wacz"


@pytest.mark.parametrize("raw", AWKWARD)
def test_an_awkward_tag_name_round_trips_through_the_api(
    http_server, owner, other_user, raw, settings
):
    settings.ADD_LIMIT_PER_MINUTE = 0  # many adds by one person in a minute, on purpose
    check_the_api(http_server, owner, other_user, raw)


@hypothesis_settings(
    max_examples=30,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(raw=tag_text())
def test_any_tag_name_round_trips_through_the_api(http_server, owner, other_user, raw, settings):
    settings.ADD_LIMIT_PER_MINUTE = 0  # many adds by one person in a minute, on purpose
    check_the_api(http_server, owner, other_user, raw)


@hypothesis_settings(
    max_examples=3, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(raws=st.lists(tag_text(), min_size=1, max_size=6))
def test_any_tag_names_round_trip_through_the_cli(tmp_path, raws):
    """`add --tag`, `list --tag` and their --json output, as a person runs them."""
    env = linkhome_env(tmp_path)  # one instance for every example: migrating costs seconds
    names = clean_tag_names(raws)
    tags = [f"--tag={raw}" for raw in raws]  # "=": a name may start with "-"
    url = f"https://example.com/cli/{next(_unique)}"
    added = run_cli(env, "add", url, *tags, "--json")
    assert added.returncode == 0, added.stderr
    link = json.loads(added.stdout)["link"]
    assert sorted(link["tags"]) == sorted(names)
    listed = run_cli(env, "list", *[f"--tag={name}" for name in names], "--json")
    assert listed.returncode == 0, listed.stderr
    found = {row["id"]: row["tags"] for row in map(json.loads, listed.stdout.splitlines())}
    assert sorted(found[link["id"]]) == sorted(names)


def test_an_unused_tag_with_a_slash_can_still_be_seen_and_deleted(owner):
    """The cloud keeps a tag taken off its last link; it used to answer 500 for good."""
    link = add_link(owner, "https://example.com/a", tags=["a/b"]).link
    set_tags(link, [])
    client = client_for(owner)
    cloud = _ok(client, "/tags/")
    asked = client.post(_edit_action(cloud, "a/b"), {"action": "delete"})
    assert asked.status_code == 200 and Tag.objects.filter(owner=owner).exists()
    confirm = re.search(r'<form id="tag-confirm" method="post" action="([^"]*)">', asked.text)
    response = client.post(html.unescape(confirm[1]), {"action": "delete-confirmed"})
    assert response.status_code == 302
    assert not Tag.objects.filter(owner=owner).exists()


@pytest.mark.parametrize(
    ("raw", "english", "chinese"),
    [
        ("a,b", "comma", "逗号"),
        ("a，b", "comma", "逗号"),
        ("a\x00b", "control", "控制字符"),
        ("a\x07b", "control", "控制字符"),
        ("x" * 65, "longer than 64", "超过 64"),
    ],
)
def test_the_tag_rules_refuse_separators_and_control_characters(raw, english, chinese):
    with pytest.raises(LinkError) as caught:
        clean_tag_names([raw])
    for language, reason in (("en", english), ("zh-hans", chinese)):
        with translation.override(language):
            assert reason in explain(caught.value)


@pytest.mark.parametrize(
    ("language", "said"),
    [("en", "you have no tag named a/b"), ("zh-hans", "你没有名为 a/b 的标签")],
)
def test_a_tag_error_is_said_in_the_readers_language(owner, language, said):
    client = client_for(owner)
    headers = {"HTTP_ACCEPT_LANGUAGE": language}  # a browser sends it with every request
    response = client.post("/tags/a%252Fb/edit/", {"action": "delete"}, **headers)
    assert response.status_code == 302
    assert said in _ok(client, "/tags/", **headers)


def test_renaming_a_tag_to_a_refused_name_says_why(owner):
    add_link(owner, "https://example.com/a", tags=["a"])
    client = client_for(owner)
    response = client.post(
        "/tags/a/edit/", {"action": "rename", "other": "b,c"}, HTTP_ACCEPT_LANGUAGE="en"
    )
    assert response.status_code == 302
    assert "cannot contain a comma" in _ok(client, "/tags/", HTTP_ACCEPT_LANGUAGE="en")
    assert [tag.name for tag in Tag.objects.filter(owner=owner)] == ["a"]
