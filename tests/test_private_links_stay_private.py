"""A private link leaves no trace for anyone but its owner: every web URL, every API route and
every CLI command, walked as another person and as a signed-out visitor.

The routes are not listed by hand: the web's come from Django's URL resolver and the API's
methods from its OpenAPI schema, so a new route is walked the day it is added. Each path
parameter is filled with every value that could reach the private link (its id, its
snapshot's id, its tag, its artifacts' kinds), and each request also carries the private
markers as query parameters (q, tag), as a person fishing for them would. A response may
echo what the request itself said; any other marker in it is a leak.
"""

import contextlib
import itertools
import json
import re
from datetime import UTC, datetime
from urllib.parse import quote, unquote

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver
from django.utils.http import http_date

from linkhome.accounts.services import create_token
from linkhome.archive.models import Snapshot
from linkhome.cli.main import build_parser, main
from linkhome.links.models import Link
from linkhome.links.services import add_link
from linkhome.worker.sequence import capture_and_follow

pytestmark = pytest.mark.django_db(transaction=True)

TAG = "机密标签k9"
TITLE = "绝密计划zx81q"
NOTE = "私人笔记nt42"
TEXT = "这是只有主人才能看到的绝密正文qw77，不该出现在任何别人的页面上。"
PATH = "/secret-plan-7319"
# The private capture's time, unlike any other: a Wayback timestamp or Memento-Datetime
# naming it tells that the private page was kept.
CAPTURED = datetime(2019, 3, 4, 5, 6, 7, tzinfo=UTC)
PARAM = re.compile(r"<(?:(\w+):)?(\w+)>")
# Commands that read nothing of anyone's links, or that start processes.
# (storage moves blobs and prints counts only.)
NOT_READERS = {
    *("serve", "worker", "createuser", "password", "token", "reindex", "add", "import"),
    "subscribe",  # writes what it is given as the caller's own subscription, like add
    "storage",
}
CLI_INT_ARGS = {"SNAPSHOT_ID", "LINK_ID", "snapshot_id", "link_id", "ID"}


@pytest.fixture
def private(http_server, owner):
    page = f"""<html><head><title>{TITLE}</title></head><body><article>
<h1>{TITLE}</h1><p>{TEXT}</p><p>{TEXT}</p><img src="/figure.png" alt="{TITLE}"></article>
</body></html>"""
    url = http_server.route(
        PATH, body=page.encode(), headers=[("Content-Type", "text/html; charset=utf-8")]
    )
    added = add_link(owner, url, tags=[TAG], visibility="private", title=TITLE, note=NOTE)
    snapshot = capture_and_follow(added.snapshot.pk)
    assert snapshot.status in ("succeeded", "partial"), snapshot.error
    Snapshot.objects.filter(pk=snapshot.pk).update(created_at=CAPTURED)
    snapshot.refresh_from_db()
    # A public link of the owner's with the same words, so pages have something to show.
    public = http_server.route(
        "/public", body=b"<html><title>public page</title><p>hello</p></html>"
    )
    capture_and_follow(add_link(owner, public, tags=["公开"]).snapshot.pk)
    return snapshot


def markers(snapshot) -> dict[str, str]:
    return {
        "title": TITLE,
        "tag": TAG,
        "note": NOTE,
        "text": "qw77",
        "address": PATH.strip("/"),
        "link id": f"/links/{snapshot.link_id}/",
        "snapshot page": f"/s/{snapshot.pk}/",
        "capture time": CAPTURED.strftime("%Y%m%d%H%M%S"),
        "memento datetime": http_date(CAPTURED.timestamp()),
    }


def readable(response) -> str:
    """The response as a person would read it: JSON with its \\u escapes undone."""
    body = b"".join(response) if response.streaming else response.content
    text = body.decode("utf-8", "replace")
    if response.get("Content-Type", "").startswith("application/json"):
        with contextlib.suppress(ValueError):
            text = json.dumps(json.loads(text), ensure_ascii=False)
    return text + str(sorted(response.headers.items()))


def leaks(response, request_text: str, snapshot) -> list[str]:
    text = readable(response)
    asked = unquote(request_text)
    return [
        name
        for name, marker in markers(snapshot).items()
        if marker not in asked and (marker in text or quote(marker) in text)
    ]


# --- the web and the API, from the URL resolver ------------------------------------------


def routes(patterns=None, prefix: str = ""):
    for entry in get_resolver().url_patterns if patterns is None else patterns:
        if isinstance(entry, URLResolver):
            yield from routes(entry.url_patterns, prefix + str(entry.pattern))
        elif isinstance(entry, URLPattern):
            yield prefix + str(entry.pattern)


def values_for(converter: str | None, name: str, snapshot) -> list[str]:
    ids = [str(snapshot.pk), str(snapshot.link_id)]
    if converter in ("int", "id", "timestamp"):  # web ids: a bounded int (web/ids.py)
        return ids
    if converter == "address":  # an original address (Wayback, Memento): the private one
        return [snapshot.url, snapshot.url.replace("http://", "https://", 1)]
    if name == "kind":
        return list(snapshot.artifacts.values_list("kind", flat=True))
    return [*ids, quote(TAG, safe="")]


def concrete_paths(route: str, snapshot) -> list[str]:
    params = PARAM.findall(route)
    if not params:
        return ["/" + route]
    choices = [values_for(converter, name, snapshot) for converter, name in params]
    paths = []
    for combination in itertools.product(*choices):
        paths.append("/" + PARAM.sub(_filler(iter(combination)), route))
    return paths


def _filler(values):
    return lambda _: next(values)


def openapi_methods(client: Client) -> dict[str, set[str]]:
    """Path template in the resolver's spelling ("api/links/<link_id>") -> its methods."""
    schema = json.loads(client.get("/api/openapi.json").content)
    return {
        re.sub(r"\{(\w+)\}", r"<\1>", path.lstrip("/")): {m.upper() for m in operations}
        for path, operations in schema["paths"].items()
    }


def visitors(other_user) -> dict[str, tuple[Client, dict]]:
    signed_in = Client()
    signed_in.force_login(other_user)
    token = create_token(other_user, "walk")
    return {
        "signed out": (Client(), {}),
        "another person": (signed_in, {}),
        "another person's token": (Client(), {"HTTP_AUTHORIZATION": f"Bearer {token}"}),
    }


def test_no_web_page_or_api_route_shows_a_private_link(private, other_user):
    fishing = f"?q={quote(TITLE)}&tag={quote(TAG)}&url={quote(PATH)}"
    api_methods = openapi_methods(Client())
    assert api_methods, "the OpenAPI schema lists no route"
    all_routes = list(routes())
    assert not set(api_methods) - set(all_routes), "an API route the resolver does not know"
    found, walked = [], 0
    for name, (client, headers) in visitors(other_user).items():
        for route in all_routes:
            if name.endswith("token") and not route.startswith("api/"):
                continue  # only the API reads tokens; elsewhere it is a signed-out visit
            methods = api_methods.get(route, {"GET", "POST"})
            if route.startswith("api/") and route not in api_methods:
                methods = {"GET"}  # the docs and the schema themselves
            # An original address in the path takes the query string as its own: fishing
            # there would only ask for another address.
            fish = fishing if "<address:" not in route else ""
            for path, method in itertools.product(concrete_paths(route, private), methods):
                url = path + fish if method == "GET" else path
                response = client.generic(
                    method, url, data=b"{}", content_type="application/json", **headers
                )
                walked += 1
                if response.status_code >= 500:
                    found.append(f"{name} {method} {url}: {response.status_code}")
                found += [
                    f"{name} {method} {url}: {leak}" for leak in leaks(response, url, private)
                ]
    assert walked > 100
    assert found == []
    link = Link.objects.get(pk=private.link_id)  # and nothing they sent changed it
    assert (link.title, link.visibility, link.note) == (TITLE, "private", NOTE)
    assert list(link.tags.values_list("name", flat=True)) == [TAG]
    assert link.snapshots.count() == 1


def test_the_owner_sees_it_so_the_walk_would_catch_a_leak(private, owner):
    """The same requests as the owner do show the markers: the checks above can fail."""
    client = Client()
    client.force_login(owner)
    page = client.get(f"/s/{private.pk}/")
    assert leaks(page, "", private)
    api = client.get(f"/api/links/{private.link_id}")
    assert {"title", "tag"} <= set(leaks(api, "", private))
    # The address routes, as the walk fills them, do name the private capture to its owner.
    for route in ("web/*/<address:address>", "timemap/link/<address:address>"):
        for path in concrete_paths(route, private):
            assert "snapshot page" in leaks(client.get(path), "", private)
    timemap = client.get(concrete_paths("timemap/link/<address:address>", private)[0])
    assert "memento datetime" in leaks(timemap, "", private)
    wayback = client.get(concrete_paths("web/<timestamp:timestamp>/<address:address>", private)[0])
    assert "snapshot page" in leaks(wayback, "", private)


# --- the CLI, from its parser ---------------------------------------------------------------


def cli_commands() -> dict[str, list]:
    parser = build_parser()
    sub = next(a for a in parser._actions if a.dest == "command")
    return {
        name: command._actions for name, command in sub.choices.items() if name not in NOT_READERS
    }


def cli_calls(actions, snapshot) -> list[list[str]]:
    """argv lists that aim the command at the private link every way its options allow."""
    positional = [a for a in actions if not a.option_strings and a.dest != "help"]
    options = {s for a in actions for s in a.option_strings}
    base = ["--user", "other"] if "--user" in options else []
    base += ["--json"] if "--json" in options else []
    calls = []
    numeric = any(a.type not in (None, str) for a in positional)  # ids: a bounded int type
    values = [str(snapshot.pk), str(snapshot.link_id)] + ([] if numeric else [TITLE, TAG])
    for value in values if positional else []:
        # Every positional aimed at the private link (`diff A B` takes two snapshots).
        calls.append([*[value] * len(positional), *base])
    # A command that needs its positionals (`save SNAPSHOT_ID --tag T`) gets them too.
    required = [str(snapshot.pk) for a in positional if a.nargs is None]
    for flag, value in (("--snapshot", str(snapshot.pk)), ("--tag", TAG), ("--all", None)):
        if flag in options:
            calls.append([*required, flag, *([value] if value else []), *base])
    if "-o" in options:
        calls = [[*call, "-o", "-"] for call in calls]
    return calls or [base]


def test_no_cli_command_shows_a_private_link(private, other_user, capsysbinary):
    found, walked = [], 0
    for name, actions in cli_commands().items():
        for call in cli_calls(actions, private):
            argv = [name, *call]
            main(argv)
            out, err = capsysbinary.readouterr()
            text = (out + err).decode("utf-8", "replace")
            asked = " ".join(argv)
            walked += 1
            found += [
                f"linkhome {asked}: {marker_name}"
                for marker_name, marker in markers(private).items()
                if marker not in asked and marker in text
            ]
    assert walked >= 10
    assert found == []
    assert Link.objects.filter(pk=private.link_id).exists()
