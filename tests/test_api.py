import json

import pytest
from django.test import Client

from linkhome.accounts.services import create_token
from linkhome.links.services import add_link
from linkhome.worker.sequence import capture_and_follow

pytestmark = pytest.mark.django_db(transaction=True)


def api(user=None):
    headers = {"HTTP_AUTHORIZATION": f"Bearer {create_token(user).key}"} if user else {}
    return Client(**headers)


def post_json(client: Client, path: str, data: dict):
    return client.post(path, json.dumps(data), content_type="application/json")


def test_create_link_returns_201_then_200_for_the_same_address(owner):
    client = api(owner)
    first = post_json(client, "/api/links", {"url": "https://example.com/x", "tags": ["a"]})
    again = post_json(client, "/api/links", {"url": "https://example.com/x"})
    assert first.status_code == 201 and again.status_code == 200
    assert first.json()["link"]["id"] == again.json()["link"]["id"]
    assert first.json()["snapshot"]["status"] == "queued"


def test_a_bad_url_answers_400_with_the_reason(owner):
    response = post_json(api(owner), "/api/links", {"url": "javascript:alert(1)"})
    assert response.status_code == 400
    assert "只能保存 http 和 https 地址" in response.json()["detail"]  # Chinese by default
    english = api(owner).post(
        "/api/links",
        json.dumps({"url": "javascript:alert(1)"}),
        content_type="application/json",
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert "only http and https" in english.json()["detail"]


def test_without_a_token_the_api_answers_401(db):
    assert Client().get("/api/links").status_code == 401
    assert Client(HTTP_AUTHORIZATION="Bearer wrong").get("/api/links").status_code == 401


def test_list_filters_by_all_tags(owner):
    add_link(owner, "https://example.com/1", tags=["a", "b"])
    add_link(owner, "https://example.com/2", tags=["a"])
    urls = [link["url"] for link in api(owner).get("/api/links?tag=a&tag=b").json()]
    assert urls == ["https://example.com/1"]


def test_a_private_snapshot_is_404_for_another_user(owner, other_user):
    added = add_link(owner, "https://example.com/p", visibility="private")
    path = f"/api/snapshots/{added.snapshot.pk}"
    assert api(owner).get(path).status_code == 200
    assert api(other_user).get(path).status_code == 404
    assert api(other_user).get(f"/api/links/{added.link.pk}").status_code == 404


def test_artifacts_download_sandboxed(http_server, owner):
    http_server.route(
        "/p",
        body=b"<html><title>t</title><script>alert(1)</script><p>hello</p></html>",
        headers=[("Content-Type", "text/html")],
    )
    snapshot = capture_and_follow(add_link(owner, http_server.url("/p")).snapshot.pk)
    client = api(owner)
    kinds = [a["kind"] for a in client.get(f"/api/snapshots/{snapshot.pk}/artifacts").json()]
    assert "raw_html" in kinds and "warc" in kinds
    raw = client.get(f"/api/snapshots/{snapshot.pk}/artifacts/raw_html")
    assert raw.status_code == 200 and b"<script>" in raw.content
    assert raw["Content-Security-Policy"].startswith("sandbox")
    warc = client.get(f"/api/snapshots/{snapshot.pk}/artifacts/warc")
    assert "attachment" in warc["Content-Disposition"]
    assert client.get(f"/api/snapshots/{snapshot.pk}/artifacts/nope").status_code == 404


def test_openapi_docs_are_served(db):
    assert Client().get("/api/openapi.json").status_code == 200


def test_a_private_artifact_is_404_for_another_user(http_server, owner, other_user):
    http_server.route(
        "/p", body=b"<html><title>t</title><p>x</p></html>", headers=[("Content-Type", "text/html")]
    )
    snapshot = capture_and_follow(
        add_link(owner, http_server.url("/p"), visibility="private").snapshot.pk
    )
    for kind in ("raw_html", "warc", "single_file"):
        path = f"/api/snapshots/{snapshot.pk}/artifacts/{kind}"
        assert api(owner).get(path).status_code == 200
        assert api(other_user).get(path).status_code == 404
    assert api(other_user).get(f"/api/snapshots/{snapshot.pk}/artifacts").status_code == 404


def test_adding_too_fast_answers_429(owner, settings):
    settings.ADD_LIMIT_PER_MINUTE = 2
    client = api(owner)
    codes = [
        post_json(client, "/api/links", {"url": f"https://example.com/{n}"}).status_code
        for n in range(3)
    ]
    assert codes == [201, 201, 429]


def test_listing_links_costs_the_same_queries_for_more_rows(owner, django_assert_max_num_queries):
    client = api(owner)
    for n in range(3):
        add_link(owner, f"https://example.com/q{n}", tags=["a"])
    client.get("/api/links")
    with django_assert_max_num_queries(8) as few:
        client.get("/api/links")
    for n in range(20):
        add_link(owner, f"https://example.com/r{n}", tags=["b"])
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert len(client.get("/api/links").json()) == 23
