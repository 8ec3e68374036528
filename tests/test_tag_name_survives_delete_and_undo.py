"""Whatever a person can type as a tag name comes back exactly after a delete and an undo,
through the pages (the confirmation form and the undo form)."""

import html
import re

import pytest
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings

from linkhome.links.models import Link
from linkhome.links.services import add_link, clean_tag_names
from linkhome.testing.factories import client_for
from tests.test_tag_names_round_trip import AWKWARD, tag_text

pytestmark = pytest.mark.django_db
_n = iter(range(10**9))


def check(owner, raw: str) -> None:
    (name,) = clean_tag_names([raw])
    link = add_link(owner, f"https://example.com/{next(_n)}", tags=[name]).link
    client = client_for(owner)
    cloud = client.get("/tags/").content.decode()
    action = re.search(
        r'<a class="tag" href="[^"]*">' + re.escape(html.escape(name)) + r"</a>.*?"
        r'<form method="post" action="([^"]*)">',
        cloud,
        re.DOTALL,
    )
    asked = client.post(html.unescape(action[1]), {"action": "delete"}).content.decode()
    confirm = re.search(r'<form id="tag-confirm" method="post" action="([^"]*)">', asked)
    client.post(html.unescape(confirm[1]), {"action": "delete-confirmed"})
    assert list(Link.objects.get(pk=link.pk).tags.all()) == []
    form = re.search(r'name="token" value="([^"]*)"', client.get("/tags/").content.decode())
    client.post("/tag-undo/", {"token": html.unescape(form[1])})
    assert [t.name for t in Link.objects.get(pk=link.pk).tags.all()] == [name]


@pytest.mark.parametrize("raw", AWKWARD)
def test_an_awkward_name_survives_delete_and_undo(owner, raw):
    check(owner, raw)


@hypothesis_settings(
    max_examples=30,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(raw=tag_text())
def test_any_name_survives_delete_and_undo(owner, raw):
    check(owner, raw)
