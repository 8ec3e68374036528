"""A worker killed mid-capture loses nothing: the capture runs again when a worker is back."""

import pytest
from django.utils import timezone

from linkhome.archive import health
from linkhome.archive.models import Snapshot
from linkhome.links.services import add_link
from linkhome.worker.queue import pending_capture_ids
from linkhome.worker.runner import recover

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_snapshot_left_running_by_a_dead_worker_is_queued_again(owner):
    snapshot = add_link(owner, "https://example.com/").snapshot
    Snapshot.objects.filter(pk=snapshot.pk).update(status="running", worker_id="dead-worker")
    recover("new-worker")
    snapshot.refresh_from_db()
    assert snapshot.status == "queued"
    assert "worker stopped" in snapshot.error
    assert snapshot.pk in pending_capture_ids()


def test_a_live_workers_capture_is_left_alone(owner):
    snapshot = add_link(owner, "https://example.com/").snapshot
    health.beat("busy-worker")
    Snapshot.objects.filter(pk=snapshot.pk).update(status="running", worker_id="busy-worker")
    recover("new-worker")
    snapshot.refresh_from_db()
    assert snapshot.status == "running"


def test_a_queued_snapshot_whose_task_was_lost_is_queued_again(owner):
    from django_tasks_db.models import DBTaskResult

    snapshot = add_link(owner, "https://example.com/").snapshot
    DBTaskResult.objects.all().delete()
    recover("new-worker")
    assert snapshot.pk in pending_capture_ids()


def test_health_reports_workers_and_queue_depth(owner):
    add_link(owner, "https://example.com/1")
    add_link(owner, "https://example.com/2")
    health.beat("w1")
    state = health.health()
    assert state.live_workers == 1 and state.queue_depth == 2
    assert state.last_heartbeat <= timezone.now()


def test_a_live_workers_stray_snapshot_is_queued_again(owner):
    """Running under this worker's id but not being captured: its crash bookkeeping failed."""
    snapshot = add_link(owner, "https://example.com/").snapshot
    Snapshot.objects.filter(pk=snapshot.pk).update(status="running", worker_id="me")
    recover("me")
    snapshot.refresh_from_db()
    assert snapshot.status == "queued"


def test_a_page_that_keeps_killing_workers_fails(owner, settings):
    settings.CAPTURE_MAX_ATTEMPTS = 3
    snapshot = add_link(owner, "https://example.com/").snapshot
    Snapshot.objects.filter(pk=snapshot.pk).update(status="running", worker_id="dead", attempts=3)
    recover("new-worker")
    snapshot.refresh_from_db()
    assert snapshot.status == "failed"
    assert "stopped its worker 3 times" in snapshot.error


def test_a_dead_workers_task_row_and_heartbeat_do_not_stay_behind(owner, settings):
    """After a kill, the task row said "running" and the heartbeat row stayed forever."""
    from datetime import timedelta

    from django_tasks_db.models import DBTaskResult

    from linkhome.archive.models import Heartbeat

    snapshot = add_link(owner, "https://example.com/").snapshot
    task = DBTaskResult.objects.get()
    task.claim("dead-worker")
    Snapshot.objects.filter(pk=snapshot.pk).update(status="running", worker_id="dead-worker")
    health.beat("dead-worker")
    long_ago = timezone.now() - timedelta(seconds=settings.WORKER_STALE_SECONDS + 1)
    Heartbeat.objects.filter(worker_id="dead-worker").update(last_seen=long_ago)
    health.beat("new-worker")
    recover("new-worker")
    task.refresh_from_db()
    assert task.status == "FAILED" and task.finished_at is not None
    assert set(Heartbeat.objects.values_list("worker_id", flat=True)) == {"new-worker"}
    assert snapshot.pk in pending_capture_ids()  # its snapshot got a new task


def test_a_live_workers_task_row_is_left_running(owner):
    from django_tasks_db.models import DBTaskResult

    add_link(owner, "https://example.com/")
    task = DBTaskResult.objects.get()
    task.claim("busy-worker")
    health.beat("busy-worker")
    recover("new-worker")
    task.refresh_from_db()
    assert task.status == "RUNNING"
