"""A link a person just added does not wait behind retries, imports or slow pages."""

import json
import signal
from datetime import timedelta

import pytest
from django.db import transaction
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from linkhome.archive.models import Snapshot
from linkhome.archive.services import retry_later
from linkhome.archive.signals import CaptureReason
from linkhome.links.services import add_link, add_links
from linkhome.testing.processes import (
    cli_json,
    linkhome_env,
    run_cli,
    start_worker,
    wait_for_status,
)

FAST_PAGE = b"<html><title>fast</title><p>" + b"Enough words to need no browser. " * 20


def claim_order() -> list[str]:
    """Snapshot URLs in the order the database queue hands their tasks out."""
    order = []
    while True:
        with transaction.atomic():  # as the worker claims: a row lock inside a transaction
            task = DBTaskResult.objects.ready().get_locked()
            if task is None:
                return order
            task.claim("test")
        order.append(Snapshot.objects.get(pk=task.args_kwargs["args"][0]).url)


@pytest.mark.django_db(transaction=True)
def test_a_fresh_link_is_taken_before_due_retries_and_imports(owner, settings):
    settings.CAPTURE_RETRY_BACKOFF = (0.0,)
    add_links(owner, ["https://example.com/imported"])
    retried = add_link(owner, "https://example.com/retried").snapshot
    DBTaskResult.objects.filter(args_kwargs__args=[retried.pk]).delete()
    retried.attempts = 1
    retry_later(retried, "the server answered 503")  # due at once: run_after in the past
    DBTaskResult.objects.filter(args_kwargs__args=[retried.pk]).update(
        run_after=timezone.now() - timedelta(seconds=1)
    )
    add_link(owner, "https://example.com/fresh")
    assert claim_order() == [
        "https://example.com/fresh",
        "https://example.com/retried",
        "https://example.com/imported",
    ]


@pytest.mark.django_db(transaction=True)
def test_an_unknown_reason_waits_like_a_retry_not_like_a_fresh_add(owner):
    from linkhome.worker.priorities import ADDED, RETRY, lane_for

    assert lane_for("something new") == RETRY != ADDED
    assert {lane_for(reason) for reason in CaptureReason} <= {ADDED, RETRY, lane_for("bulk")}


def test_a_fresh_add_is_captured_while_a_slow_import_holds_a_thread(http_server, tmp_path):
    """Two capture threads: the import takes one for as long as its page drips, the other
    is kept for links added by hand, so the fresh one is done while the slow one runs."""
    slow = http_server.slow_drip("/slow", b"x" * 3600)
    http_server.route("/fast", body=FAST_PAGE, headers=[("Content-Type", "text/html")])
    env = linkhome_env(tmp_path, LINKHOME_CAPTURE_THREADS="2", LINKHOME_FETCH_DEADLINE="300")
    imported = run_cli(env, "add", "--file", "-", "--json", stdin=slow)
    slow_id = json.loads(imported.stdout.splitlines()[0])["snapshot"]["id"]
    worker = start_worker(env)
    try:
        wait_for_status(env, slow_id, ("running",))
        fast_id = cli_json(env, "add", http_server.url("/fast"))["snapshot"]["id"]
        assert wait_for_status(env, fast_id, seconds=60)["status"] == "succeeded"
        assert cli_json(env, "show", str(slow_id))["snapshot"]["status"] == "running"
    finally:
        worker.send_signal(signal.SIGTERM)
        worker.wait(timeout=20)


def test_every_lane_has_a_configured_queue(settings):
    from linkhome.worker.priorities import CAPTURE_QUEUES

    assert settings.TASK_QUEUES[1:] == CAPTURE_QUEUES  # the RQ listening order too
