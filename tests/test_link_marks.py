"""Read/unread, 星标 and 归档 on a person's own links: set on the web (htmx or a plain POST),
through the API and the CLI, filtered in the list (archived links leave the default list),
kept from everyone else, and a link is marked read when its owner opens its snapshot."""

import json

import pytest
from django.test import Client

from linkhome.accounts.services import create_token
from linkhome.cli.main import main as cli
from linkhome.links.models import Link
from linkhome.links.services import add_link
from linkhome.testing.factories import client_for, kept

pytestmark = pytest.mark.django_db


def listed(client, query: str = "") -> str:
    html = client.get(f"/{query}").content.decode()
    return html.split('id="my-links"', 1)[1].split("</ul>", 1)[0]


def api(user) -> Client:
    return Client(HTTP_AUTHORIZATION=f"Bearer {create_token(user).key}")


def marks(link: Link) -> tuple[bool, bool, bool]:
    link.refresh_from_db()
    return (link.read, link.starred, link.archived)


def test_a_new_link_is_unread_not_starred_not_archived(owner):
    link = add_link(owner, "https://example.com/new").link
    assert marks(link) == (False, False, False)


def test_marks_set_on_the_web_without_javascript_post_and_come_back(owner):
    link = add_link(owner, "https://example.com/a", title="甲").link
    client = client_for(owner)
    response = client.post(f"/links/{link.pk}/marks/", {"starred": "1", "next": "/?tag=x"})
    assert response.status_code == 302 and response["Location"] == "/?tag=x"
    client.post(f"/links/{link.pk}/marks/", {"read": "1", "archived": "1"})
    assert marks(link) == (True, True, True)
    client.post(f"/links/{link.pk}/marks/", {"read": "0", "archived": "0", "starred": "junk"})
    assert marks(link) == (False, True, False)


def test_marks_set_with_htmx_swap_the_box_in_place(owner):
    link = add_link(owner, "https://example.com/h").link
    response = client_for(owner).post(
        f"/links/{link.pk}/marks/", {"starred": "1"}, HTTP_HX_REQUEST="true"
    )
    html = response.content.decode()
    assert response.status_code == 200 and html.lstrip().startswith('<div class="marks"')
    assert f'id="marks-{link.pk}"' in html and 'name="starred" value="0"' in html


def test_another_persons_link_is_404_and_unchanged(owner, other_user):
    theirs = add_link(other_user, "https://example.com/t").link
    response = client_for(owner).post(f"/links/{theirs.pk}/marks/", {"starred": "1"})
    assert response.status_code == 404
    assert marks(theirs) == (False, False, False)
    assert client_for(None).post(f"/links/{theirs.pk}/marks/", {"starred": "1"}).status_code == 302
    assert marks(theirs) == (False, False, False)


def test_the_list_filters_by_marks_and_archived_links_leave_the_default_list(owner):
    plain = add_link(owner, "https://example.com/p", title="plain-one").link
    read = add_link(owner, "https://example.com/r", title="read-one").link
    star = add_link(owner, "https://example.com/s", title="star-one").link
    shelved = add_link(owner, "https://example.com/z", title="shelved-one").link
    client = client_for(owner)
    client.post(f"/links/{read.pk}/marks/", {"read": "1"})
    client.post(f"/links/{star.pk}/marks/", {"starred": "1"})
    client.post(f"/links/{shelved.pk}/marks/", {"archived": "1", "starred": "1"})
    assert plain.pk and marks(shelved) == (False, True, True)

    def titles(query: str) -> set[str]:
        html = listed(client, query)
        return {t for t in ("plain-one", "read-one", "star-one", "shelved-one") if t in html}

    assert titles("") == {"plain-one", "read-one", "star-one"}
    assert titles("?shelf=unread") == {"plain-one", "star-one"}
    assert titles("?shelf=starred") == {"star-one", "shelved-one"}
    assert titles("?shelf=archived") == {"shelved-one"}
    assert titles("?shelf=all") == {"plain-one", "read-one", "star-one", "shelved-one"}
    assert titles("?shelf=bogus") == titles("")  # unknown values are ignored


def test_opening_my_snapshot_marks_it_read_but_others_reading_changes_nothing(owner, other_user):
    snapshot = kept(owner, "https://example.com/o", "正文", title="打开")
    link = snapshot.link
    assert client_for(other_user).get(f"/s/{snapshot.pk}/").status_code == 200
    client_for(None).get(f"/s/{snapshot.pk}/")
    assert marks(link)[0] is False
    client_for(owner).get(f"/s/{snapshot.pk}/status/")  # the status poll is not reading
    assert marks(link)[0] is False
    page = client_for(owner).get(f"/s/{snapshot.pk}/").content.decode()
    assert marks(link)[0] is True
    assert f'id="marks-{link.pk}"' in page and 'name="read" value="0"' in page


def test_others_never_see_my_marks_or_the_toggles(owner, other_user):
    snapshot = kept(owner, "https://example.com/m", "正文", title="看")
    link = snapshot.link
    client_for(owner).post(f"/links/{link.pk}/marks/", {"starred": "1", "archived": "1"})
    page = client_for(other_user).get(f"/s/{snapshot.pk}/").content.decode()
    assert f'id="marks-{link.pk}"' not in page
    body = api(other_user).get(f"/api/links/{link.pk}").json()["link"]
    assert (body["read"], body["starred"], body["archived"]) == (False, False, False)
    mine = api(owner).get(f"/api/links/{link.pk}").json()["link"]
    assert (mine["starred"], mine["archived"]) == (True, True)


def test_the_api_writes_marks_through_the_link_update_and_filters_the_list(owner):
    client = api(owner)

    def post(data: dict) -> dict:
        response = client.post("/api/links", json.dumps(data), content_type="application/json")
        assert response.status_code in (200, 201), response.content
        return response.json()["link"]

    first = post({"url": "https://example.com/1"})
    assert (first["read"], first["starred"], first["archived"]) == (False, False, False)
    post({"url": "https://example.com/2", "starred": True})
    updated = post({"url": "https://example.com/1", "read": True, "archived": True})
    assert (updated["read"], updated["starred"], updated["archived"]) == (True, False, True)
    kept_as_is = post({"url": "https://example.com/1", "tags": ["t"]})  # null keeps them
    assert (kept_as_is["read"], kept_as_is["archived"]) == (True, True)

    def urls(query: str) -> list[str]:
        return [link["url"] for link in client.get(f"/api/links{query}").json()]

    assert len(urls("")) == 2  # the API lists archived links too, unless asked
    assert urls("?archived=false") == ["https://example.com/2"]
    assert urls("?archived=true") == ["https://example.com/1"]
    assert urls("?starred=true") == ["https://example.com/2"]
    assert urls("?read=false") == ["https://example.com/2"]
    assert client.get("/api/links?read=maybe").status_code == 422


def test_the_cli_marks_and_lists_by_marks(owner, other_user, capsys):
    mine = add_link(owner, "https://example.com/c1").link
    other = add_link(owner, "https://example.com/c2").link
    theirs = add_link(other_user, "https://example.com/c3").link
    assert cli(["mark", str(mine.pk), "--star", "--archive", "--user", owner.username]) == 0
    assert marks(mine) == (False, True, True)
    code = cli(["mark", str(theirs.pk), "--read", "--user", owner.username])
    assert code == 1 and marks(theirs) == (False, False, False)
    assert f"no link {theirs.pk}" in capsys.readouterr().err
    cli(["list", "--archived", "--json", "--user", owner.username])
    shown = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert [(s["id"], s["starred"], s["archived"]) for s in shown] == [(mine.pk, True, True)]
    cli(["list", "--not-archived", "--user", owner.username])
    out = capsys.readouterr().out
    assert out.startswith(f"{other.pk}\t") and f"{mine.pk}\t" not in out
