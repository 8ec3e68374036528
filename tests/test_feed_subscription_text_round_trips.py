"""What a person types for a subscription (its tags, through the page and the API) comes
back as they typed it, cleaned by the tag rules only, on the page, in the API and the CLI."""

import itertools
import json

import pytest
from django.test import Client
from django.utils.html import escape
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from linkhome.accounts.services import create_token
from linkhome.cli.main import main
from linkhome.imports.models import Subscription
from linkhome.links.services import LinkError, clean_tag_names
from linkhome.testing.factories import client_for

pytestmark = pytest.mark.django_db
_unique = itertools.count()


def _accepted(raw: str) -> bool:
    try:
        return bool(clean_tag_names([raw]))
    except LinkError:
        return False


def tag_text() -> st.SearchStrategy[str]:
    return st.text(st.characters(codec="utf-8"), min_size=1, max_size=70).filter(_accepted)


@hypothesis_settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(raw=tag_text())
def test_a_typed_tag_comes_back_everywhere(owner, raw, capsys):
    [name] = clean_tag_names([raw])
    api = Client(HTTP_AUTHORIZATION=f"Bearer {create_token(owner, 't').key}")
    made = api.post(
        "/api/subscriptions",
        {"url": f"https://feeds.example.org/{next(_unique)}.xml", "tags": [raw]},
        content_type="application/json",
    )
    assert made.status_code == 201, made.content
    sub_id = made.json()["id"]
    assert api.get(f"/api/subscriptions/{sub_id}").json()["tags"] == [name]
    page = client_for(owner).get(f"/subscriptions/{sub_id}/").content.decode()
    assert escape(name) in page
    assert main(["subscriptions", "--json"]) == 0
    listed = json.loads(capsys.readouterr().out)
    assert [name] in [s["tags"] for s in listed]
    Subscription.objects.filter(pk=sub_id).delete()


@pytest.mark.parametrize("raw", ["<script>alert(1)</script>", "a/b", "100%", "新闻 · 科技"])
def test_the_form_takes_awkward_tags(owner, raw):
    client = client_for(owner)
    response = client.post(
        "/subscriptions/", {"url": "https://feeds.example.org/x.xml", "tags": raw}
    )
    assert response.status_code == 302
    sub = Subscription.objects.get(owner=owner)
    assert sub.tags == clean_tag_names([raw])
    assert escape(sub.tags[0]) in client.get(response["Location"]).content.decode()
