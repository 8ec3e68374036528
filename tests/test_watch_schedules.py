"""Schedules (links.watching): a link's own, its tags', its owner's default, the instance's;
jittered next checks; due links claimed exactly once however many workers ask at once, and
queued in the scheduled lane behind every link a person adds."""

import threading
from datetime import timedelta

import pytest
from django.db import connection
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from linkhome.archive.models import Snapshot
from linkhome.cli.main import main
from linkhome.links import watching
from linkhome.links.models import Link, Tag
from linkhome.links.services import LinkError, add_link
from linkhome.testing.factories import finished
from linkhome.worker import priorities, schedule

pytestmark = pytest.mark.django_db(transaction=True)
CLAIMERS = 6


def kept_link(owner, n: int, **options) -> Link:
    added = add_link(owner, f"https://example.com/watch/{n}", **options)
    finished(added.snapshot, "succeeded")
    return Link.objects.get(pk=added.link.pk)


def make_due(links: list[Link]) -> None:
    past = timezone.now() - timedelta(minutes=5)
    Link.objects.filter(pk__in=[link.pk for link in links]).update(next_check_at=past)


def scheduled_count(link: Link) -> int:
    return link.snapshots.count() - 1


def test_the_schedule_comes_from_the_link_then_its_tags_then_the_person_then_the_instance(
    owner, settings
):
    settings.WATCH_DEFAULT = "monthly"
    link = kept_link(owner, 1, tags=["新闻", "博客"])
    assert watching.effective_every(link) == "monthly"
    assert watching.where_from(link) == "instance"

    watching.set_default_every(owner, "weekly")
    assert watching.effective_every(link) == "weekly"

    watching.set_tag_every(Tag.objects.get(owner=owner, name="博客"), "monthly")
    watching.set_tag_every(Tag.objects.get(owner=owner, name="新闻"), "daily")
    link = Link.objects.get(pk=link.pk)
    assert watching.effective_every(link) == "daily"  # the most frequent tag wins
    assert watching.where_from(link) == "tag"

    watching.set_link_every(link, "never")
    assert watching.effective_every(link) == "never"
    link.refresh_from_db()
    assert link.next_check_at == watching.NEVER_AT

    watching.set_link_every(link, "")
    link.refresh_from_db()
    assert watching.effective_every(link) == "daily"
    with pytest.raises(LinkError):
        watching.set_link_every(link, "hourly")


def test_next_checks_are_jittered_within_the_interval(owner, settings):
    settings.WATCH_JITTER = 0.1
    link = kept_link(owner, 2)
    watching.set_link_every(link, "daily")
    now = timezone.now()
    dues = {watching.next_after("daily", now) for _ in range(50)}
    assert len(dues) > 1  # not all the same moment
    for due in dues:
        assert timedelta(hours=21.5) <= due - now <= timedelta(hours=26.5)
    link.refresh_from_db()
    assert now < link.next_check_at <= now + timedelta(hours=26.5)


def test_a_first_capture_starts_the_schedule(owner, settings):
    settings.WATCH_DEFAULT = "weekly"
    link = kept_link(owner, 3)
    assert link.next_check_at is not None
    assert timedelta(days=6) < link.next_check_at - timezone.now() < timedelta(days=8)
    settings.WATCH_DEFAULT = "never"
    assert kept_link(owner, 4).next_check_at == watching.NEVER_AT


def test_due_links_are_claimed_once_and_queued_in_the_scheduled_lane(owner, settings):
    settings.WATCH_DEFAULT = "daily"
    links = [kept_link(owner, n) for n in range(10, 15)]
    make_due(links)
    first = watching.claim_due(batch=3)
    second = watching.claim_due(batch=10)
    third = watching.claim_due(batch=10)
    assert len(first) == 3 and len(second) == 2 and third == []
    claimed = sorted(c.link_id for c in first + second)
    assert claimed == sorted(link.pk for link in links)
    for link in links:
        assert scheduled_count(link) == 1
        link.refresh_from_db()
        assert link.next_check_at > timezone.now() + timedelta(hours=20)
    snapshot_ids = [c.snapshot_id for c in first + second]
    tasks = DBTaskResult.objects.filter(args_kwargs__args__0__in=snapshot_ids)
    assert tasks.count() == 5
    assert set(tasks.values_list("queue_name", "priority")) == {
        (priorities.SCHEDULED.queue_name, priorities.SCHEDULED.priority)
    }
    assert priorities.SCHEDULED.priority < priorities.ADDED.priority


def test_a_link_whose_capture_is_still_waiting_is_not_queued_twice(owner, settings):
    settings.WATCH_DEFAULT = "daily"
    link = kept_link(owner, 20)
    add_link(owner, link.url, recapture=True)  # queued, not captured yet
    make_due([link])
    [claimed] = watching.claim_due(batch=10)
    assert claimed.snapshot_id is None
    assert link.snapshots.count() == 2
    link.refresh_from_db()
    assert link.next_check_at > timezone.now()


def test_the_worker_job_schedules_new_links_and_claims_due_ones(owner, settings):
    settings.WATCH_DEFAULT = "daily"
    links = [kept_link(owner, n) for n in range(30, 33)]
    Link.objects.filter(pk=links[0].pk).update(next_check_at=None)  # saved before watching
    make_due(links[1:])
    assert "watch-recaptures" in schedule.run_due("w1")
    assert [scheduled_count(link) for link in links] == [0, 1, 1]
    assert Link.objects.get(pk=links[0].pk).next_check_at is not None
    assert "watch-recaptures" not in schedule.run_due("w2")  # not due again yet


def test_many_claimers_at_once_check_each_due_link_once(owner, settings):
    if connection.vendor == "sqlite":
        # The in-memory SQLite test database fails concurrent writers at once instead of
        # waiting; it serialises writers anyway (the sequential test above).
        pytest.skip("concurrent writers need a server database (runs on PostgreSQL)")
    settings.WATCH_DEFAULT = "daily"
    links = [kept_link(owner, n) for n in range(100, 140)]
    make_due(links)
    start = threading.Barrier(CLAIMERS)
    results: list[list[watching.Claimed]] = []
    errors: list[BaseException] = []

    def claimer() -> None:
        try:
            start.wait()
            results.append(watching.claim_due(batch=25))
            results.append(watching.claim_due(batch=25))
        except BaseException as exc:  # noqa: BLE001 - reported below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=claimer) for _ in range(CLAIMERS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    claimed = [c.link_id for batch in results for c in batch]
    assert sorted(claimed) == sorted(link.pk for link in links)  # each once, none missed
    for link in links:
        assert scheduled_count(link) == 1
    assert Snapshot.objects.filter(status="queued").count() == len(links)


def test_linkhome_watch_sets_a_links_schedule(owner, capsys, settings):
    settings.WATCH_DEFAULT = "never"
    link = kept_link(owner, 50)
    assert main(["watch", str(link.pk), "--every", "weekly"]) == 0
    out = capsys.readouterr().out
    assert "weekly" in out
    link.refresh_from_db()
    assert link.watch_every == "weekly"
    assert timedelta(days=6) < link.next_check_at - timezone.now() < timedelta(days=8)
    assert main(["watch", str(link.pk), "--every", "never"]) == 0
    link.refresh_from_db()
    assert link.next_check_at == watching.NEVER_AT
    assert main(["watch", "999999", "--every", "daily"]) == 1
