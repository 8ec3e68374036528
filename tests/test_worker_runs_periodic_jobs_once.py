"""The worker's periodic jobs (worker/schedule.py): each due turn runs exactly once however
many workers ask at the same moment, and the catch-up jobs repair what a worker killed
between a capture and its follow-ups left behind."""

import threading
from datetime import timedelta

import pytest
from django.db import connection
from django.utils import timezone

from linkhome.archive.services import finish
from linkhome.links.services import add_link
from linkhome.recommend.models import Profile
from linkhome.search import api as search
from linkhome.search.backends import backend
from linkhome.worker import schedule
from linkhome.worker.models import PeriodicJob
from linkhome.worker.schedule import Job, Turn

pytestmark = pytest.mark.django_db(transaction=True)
WORKERS = 6


def counting_job(name: str, every: float = 3600) -> tuple[Job, list[Turn]]:
    turns: list[Turn] = []
    return Job(name, lambda: every, lambda turn: turns.append(turn) or 1), turns


def test_many_workers_asking_at_once_run_a_due_turn_once():
    if connection.vendor == "sqlite":
        # The SQLite test database is in memory with a shared cache, whose table locks fail
        # at once instead of waiting; SQLite serialises writers anyway (the test below).
        pytest.skip("concurrent writers need a server database (runs on PostgreSQL)")
    job, turns = counting_job("test-once")
    start = threading.Barrier(WORKERS)
    errors: list[BaseException] = []

    def worker(index: int) -> None:
        try:
            start.wait()
            schedule.run_due(f"worker-{index}", (job,))
        except BaseException as exc:  # noqa: BLE001 - reported below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(WORKERS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert len(turns) == 1
    row = PeriodicJob.objects.get(name="test-once")
    assert row.claimed_by == turns[0].worker_id
    assert row.due_at > timezone.now() + timedelta(minutes=59)
    assert row.handled == 1 and row.error == ""


def test_a_turn_runs_again_only_when_it_is_due_again():
    job, turns = counting_job("test-again")
    assert schedule.run_due("a", (job,)) == ["test-again"]
    assert schedule.run_due("b", (job,)) == []
    PeriodicJob.objects.filter(name="test-again").update(due_at=timezone.now())
    assert schedule.run_due("b", (job,)) == ["test-again"]
    assert [t.worker_id for t in turns] == ["a", "b"]
    assert turns[0].previous is None and turns[1].previous is not None


def test_a_failing_job_is_recorded_and_does_not_stop_the_others():
    def broken(turn: Turn) -> int:
        raise ValueError("no")

    ok, turns = counting_job("test-ok")
    ran = schedule.run_due("a", (Job("test-broken", lambda: 60, broken), ok))
    assert ran == ["test-broken", "test-ok"] and len(turns) == 1
    assert "ValueError" in PeriodicJob.objects.get(name="test-broken").error


def finished_without_follow_ups(owner, url: str, text: str):
    """A capture that finished but whose worker died before indexing it."""
    snapshot = add_link(owner, url).snapshot
    snapshot.title, snapshot.text = "桂花糕的做法", text
    return finish(snapshot, "succeeded")


def indexed(snapshot) -> int | None:
    return backend().snapshot_ids([snapshot.link_id]).get(snapshot.link_id)


def test_index_catch_up_finds_a_capture_that_was_never_indexed(owner):
    snapshot = finished_without_follow_ups(owner, "https://example.com/a", "桂花 糯米 蒸 二十 分钟")
    # (Asked of the index itself: a search would first catch up by itself on a new index.)
    assert indexed(snapshot) is None
    assert schedule.index_catch_up(Turn("w", None)) == 1
    assert indexed(snapshot) == snapshot.pk
    # A later turn looks at the captures finished since the previous one.
    again = finished_without_follow_ups(owner, "https://example.com/b", "桂花 蜂蜜 冷藏")
    assert indexed(again) is None
    assert schedule.index_catch_up(Turn("w", timezone.now() - timedelta(seconds=5))) == 1
    assert indexed(again) == again.pk
    assert search.search(owner, "蜂蜜").total == 1
    assert {snapshot.link_id, again.link_id} == {
        hit.link_id for hit in search.search(owner, "桂花").hits
    }


def test_related_lists_job_weighs_profiles_the_index_has_and_they_lack(owner):
    snapshot = finished_without_follow_ups(owner, "https://example.com/c", "桂花 糯米 蒸")
    schedule.index_catch_up(Turn("w", None))
    assert not Profile.objects.filter(link_id=snapshot.link_id).exists()
    schedule.related_lists(Turn("w", timezone.now() - timedelta(seconds=5)))
    assert Profile.objects.get(link_id=snapshot.link_id).snapshot_id == snapshot.pk
