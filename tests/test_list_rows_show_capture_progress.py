"""A row whose capture is queued or running shows its status and polls for it (htmx) until
it finishes; a capture waiting to retry says which retry and when, in both languages."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone

from linkhome.archive.models import Snapshot
from linkhome.links.services import add_link
from linkhome.testing.factories import client_for, finished

pytestmark = pytest.mark.django_db


def waiting(owner, attempts: int, seconds: float) -> Snapshot:
    snapshot = add_link(owner, "https://down.example/page").snapshot
    Snapshot.objects.filter(pk=snapshot.pk).update(
        attempts=attempts,
        error="connection refused; retrying in 300 s",
        retry_after=timezone.now() + timedelta(seconds=seconds),
    )
    return snapshot


@pytest.mark.parametrize(
    ("language", "hint"),
    [("zh-CN", "第 2 次重试，5 分钟后"), ("en", "Retry 2, in 5 minutes")],
)
def test_a_retry_waiting_says_which_and_when(owner, language, hint):
    snapshot = waiting(owner, 2, 300)
    client = client_for(owner)
    home = client.get("/", HTTP_ACCEPT_LANGUAGE=language).content.decode()
    assert f'<span class="retry-hint">{hint}</span>' in home
    row = client.get(f"/s/{snapshot.pk}/row-status/", HTTP_ACCEPT_LANGUAGE=language)
    assert hint in row.content.decode()


@pytest.mark.parametrize(
    ("language", "hint"),
    [("zh-CN", r"第 1 次重试，(4\d|50) 秒后"), ("en", r"Retry 1, in (4\d|50) seconds")],
)
def test_a_retry_under_a_minute_away_counts_seconds(owner, language, hint):
    waiting(owner, 1, 50)  # rounded up, and a slow machine has ten seconds to render it
    home = client_for(owner).get("/", HTTP_ACCEPT_LANGUAGE=language).content.decode()
    assert re.search(hint, home)


def test_a_retry_whose_time_has_come_says_so(owner):
    waiting(owner, 3, -5)
    home = client_for(owner).get("/", HTTP_ACCEPT_LANGUAGE="zh-CN").content.decode()
    assert "第 3 次重试，马上" in home


def test_a_first_attempt_has_no_retry_hint(owner):
    add_link(owner, "https://new.example/page")
    home = client_for(owner).get("/").content.decode()
    assert "retry-hint" not in home and "排队中" in home


def test_an_unfinished_row_polls_and_a_finished_one_stops(owner):
    snapshot = add_link(owner, "https://slow.example/page").snapshot
    client = client_for(owner)
    poll = f'hx-get="/s/{snapshot.pk}/row-status/"'
    assert poll in client.get("/").content.decode()
    assert poll in client.get(f"/s/{snapshot.pk}/row-status/").content.decode()
    snapshot.title = "慢慢来"
    finished(snapshot, "succeeded")
    row = client.get(f"/s/{snapshot.pk}/row-status/").content.decode()
    assert "hx-get" not in row and "badge" not in row
    assert poll not in client.get("/").content.decode()


def test_a_failed_row_shows_the_failure_without_polling(owner):
    snapshot = add_link(owner, "https://gone.example/page").snapshot
    finished(snapshot, "failed", "HTTP 404")
    home = client_for(owner).get("/", HTTP_ACCEPT_LANGUAGE="zh-CN").content.decode()
    assert '<span class="badge failed">失败</span>' in home
    assert f'hx-get="/s/{snapshot.pk}/row-status/"' not in home
