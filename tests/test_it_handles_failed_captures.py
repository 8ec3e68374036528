"""Bad answers get a clear reason; transient ones are retried; nothing succeeded is lost."""

import pytest
from django.test import override_settings

from linkhome.archive.models import Snapshot
from linkhome.links.services import add_link
from linkhome.worker.sequence import capture_and_follow

pytestmark = pytest.mark.django_db(transaction=True)


def capture_until_done(snapshot_id: int, rounds: int = 10) -> Snapshot:
    import time

    for _ in range(rounds):
        capture_and_follow(snapshot_id)
        snapshot = Snapshot.objects.get(pk=snapshot_id)
        if snapshot.is_finished:
            return snapshot
        time.sleep(0.06)  # the test backoff is 0.05 s
    return snapshot


def test_a_404_fails_at_once_with_the_reason(http_server, owner):
    http_server.route("/gone", body=b"<h1>nope</h1>", status=404)
    snapshot = capture_until_done(add_link(owner, http_server.url("/gone")).snapshot.pk)
    assert snapshot.status == "failed"
    assert "404 Not Found" in snapshot.error
    assert snapshot.attempts == 1
    assert {a.kind for a in snapshot.artifacts.all()} >= {"warc", "headers"}


def test_a_503_is_retried_then_fails_after_the_attempts(http_server, owner):
    http_server.route("/busy", body=b"busy", status=503)
    with override_settings(CAPTURE_MAX_ATTEMPTS=3):
        snapshot = capture_until_done(add_link(owner, http_server.url("/busy")).snapshot.pk)
    assert snapshot.status == "failed"
    assert snapshot.attempts == 3
    assert "503" in snapshot.error and "gave up after 3 attempts" in snapshot.error
    assert len([r for r in http_server.requests if r[1] == "/busy"]) == 3


def test_a_transient_failure_that_clears_succeeds(http_server, owner):
    answers = iter([(429, b"slow down"), (200, b"<html><title>ok</title><p>fine now</p></html>")])

    def flaky(request):
        status, body = next(answers)
        return status, [("Content-Type", "text/html")], body

    http_server.route("/flaky", handler=flaky)
    snapshot = capture_until_done(add_link(owner, http_server.url("/flaky")).snapshot.pk)
    assert snapshot.status == "succeeded"
    assert snapshot.attempts == 2


def test_a_loopback_url_is_refused_and_never_fetched_when_private_networks_are_off(
    http_server, owner
):
    http_server.route("/secret", body=b"internal")
    with override_settings(ALLOW_PRIVATE_NETWORKS=False):
        snapshot = capture_until_done(add_link(owner, http_server.url("/secret")).snapshot.pk)
    assert snapshot.status == "failed"
    assert "loopback" in snapshot.error.lower()
    assert http_server.requests == []


def test_a_broken_asset_leaves_the_page_captured_and_is_listed(http_server, owner):
    page = b"<html><head><link rel=stylesheet href=/missing.css></head><body><p>still here</p></body></html>"
    http_server.route("/page", body=page, headers=[("Content-Type", "text/html; charset=utf-8")])
    snapshot = capture_until_done(add_link(owner, http_server.url("/page")).snapshot.pk)
    single = snapshot.artifacts.get(kind="single_file")
    assert snapshot.status == "succeeded"
    assert single.status == "ok"
    assert "1 assets left out" in single.error and "missing.css (HTTP 404)" in single.error


def test_an_endless_body_fails_with_a_size_reason(http_server, owner):
    http_server.endless("/endless")
    with override_settings(FETCH_MAX_BYTES=200_000):
        snapshot = capture_until_done(add_link(owner, http_server.url("/endless")).snapshot.pk)
    assert snapshot.status == "failed"
    assert "larger than the" in snapshot.error and "limit" in snapshot.error
    assert snapshot.attempts == 1  # too large is not worth retrying
