"""A browser that dies mid-capture costs a retry, never the snapshot; other browser
failures cost only the browser's artifacts."""

import os
import signal

import pytest

from linkhome.links.services import add_link
from linkhome.worker.sequence import capture_and_follow
from tests.browser_support import (
    HTML,
    PNG_1PX,
    artifacts_of,
    chromium_pids,
)

pytestmark = pytest.mark.django_db(transaction=True)

PAGE = b"""<!DOCTYPE html><html><head><title>Crash</title></head><body>
<p>A page whose image arrives only after the browser was killed.</p>
<img src="/killer.png"></body></html>"""
BROWSER_KINDS = ("screenshot", "thumbnail", "pdf", "dom")


def kill_the_browser_once(killed: list[int]):  # noqa: ANN201
    """A route handler that kills this process's Chromium the first time it is asked."""

    def handle(request):  # noqa: ANN001, ANN202
        if not killed:
            for pid in chromium_pids(os.getpid()):
                os.kill(pid, signal.SIGKILL)
                killed.append(pid)
        return 200, [("Content-Type", "image/png")], PNG_1PX

    return handle


def test_a_capture_whose_browser_died_is_retried_and_then_succeeds(
    http_server, owner, browser_mode
):
    killed: list[int] = []
    url = http_server.route("/crash", body=PAGE, headers=HTML)
    http_server.route("/killer.png", handler=kill_the_browser_once(killed))
    snapshot_id = add_link(owner, url).snapshot.pk
    first = capture_and_follow(snapshot_id)
    assert killed, "the test did not find Chromium to kill"
    assert first.status == "queued" and first.attempts == 1
    assert "browser stopped" in first.error
    second = capture_and_follow(snapshot_id)
    assert second.status == "succeeded", second.error
    kinds = artifacts_of(second)
    assert all(kinds[kind].status == "ok" for kind in BROWSER_KINDS), kinds


def test_a_browser_that_keeps_dying_leaves_a_partial_snapshot(http_server, owner, browser_mode):
    browser_mode.CAPTURE_MAX_ATTEMPTS = 1  # the first death is the last attempt
    url = http_server.route("/crash", body=PAGE, headers=HTML)
    http_server.route("/killer.png", handler=kill_the_browser_once([]))
    snapshot = capture_and_follow(add_link(owner, url).snapshot.pk)
    assert snapshot.status == "partial"
    kinds = artifacts_of(snapshot)
    assert kinds["single_file"].status == "ok" and kinds["warc"].status == "ok"
    assert {kinds[kind].status for kind in BROWSER_KINDS} == {"failed"}


def test_a_page_that_renders_too_long_fails_only_the_browser_artifacts(
    http_server, owner, browser_mode
):
    browser_mode.BROWSER_TIMEOUT = 2.0
    page = b"""<!DOCTYPE html><html><body><p>Never settles.</p>
<script>setInterval(() => fetch("/poll?" + Math.random()), 100);</script></body></html>"""
    url = http_server.route("/endless", body=page, headers=HTML)
    http_server.route("/poll", body=b"{}", delay=0.3)
    snapshot = capture_and_follow(add_link(owner, url).snapshot.pk)
    assert snapshot.status == "partial"
    kinds = artifacts_of(snapshot)
    assert kinds["raw_html"].status == "ok" and kinds["single_file"].status == "ok"
    assert "did not finish rendering within 2 s" in kinds["screenshot"].error
    assert {kinds[kind].status for kind in BROWSER_KINDS} == {"failed"}
