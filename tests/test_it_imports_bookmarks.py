"""Importing a bookmark file (linkhome.imports.services): what each entry becomes, counted
and reported; the original saved dates; captures queued in the bulk lane; the same file
twice changes nothing; a wrong file is refused at once."""

import io
from datetime import UTC, datetime
from pathlib import Path

import pytest
from django.test import override_settings
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from linkhome.archive.models import Snapshot
from linkhome.imports import services
from linkhome.imports.models import ImportedLink, ImportJob, ImportProblem
from linkhome.links.models import Link
from linkhome.links.services import add_link, link_tag_names
from linkhome.worker.priorities import BULK

pytestmark = pytest.mark.django_db(transaction=True)
DATA = Path(__file__).parent / "data" / "bookmarks"


def import_file(owner, name: str, **options) -> ImportJob:
    with (DATA / name).open("rb") as source:
        job = services.start_import(owner, source, file_name=name, **options)
    assert job.status == "queued"
    return services.run_import(job.pk, "test")


def test_a_browser_file_becomes_links_with_folders_dates_and_notes(owner):
    job = import_file(owner, "firefox.html")
    assert (job.status, job.format) == ("done", "netscape")
    assert (job.added, job.refused, job.duplicates, job.merged) == (4, 1, 0, 0)
    assert job.captures_queued == 4
    essay = Link.objects.get(owner=owner, url="https://example.org/essay")
    assert sorted(link_tag_names(essay)) == ["Reading", "essays", "longread"]
    assert essay.note == "Firefox keeps the description here."
    assert essay.title == "An essay"
    # The link keeps the day it was saved in the browser; its snapshot is today's.
    assert essay.created_at == datetime(2014, 5, 13, 16, 53, 20, tzinfo=UTC)
    snapshot = Snapshot.objects.get(link=essay)
    assert snapshot.status == "queued"
    assert abs((snapshot.created_at - timezone.now()).total_seconds()) < 600
    # Queued in the bulk lane, behind links people add by hand.
    tasks = DBTaskResult.objects.filter(args_kwargs__args=[snapshot.pk])
    assert [(t.queue_name, t.priority) for t in tasks] == [(BULK.queue_name, BULK.priority)]
    refused = ImportProblem.objects.get(job=job)
    assert (refused.kind, refused.code, refused.line) == ("refused", "scheme", 13)
    assert refused.entry.startswith("place:")


@override_settings(ALLOW_PRIVATE_NETWORKS=False)
def test_refusals_and_duplicates_are_counted_with_their_lines(owner):
    job = import_file(owner, "qq-sogou-quirks.html")
    problems = [(p.kind, p.code, p.line) for p in ImportProblem.objects.filter(job=job)]
    assert problems == [
        ("refused", "scheme", 14),  # ftp://
        ("refused", "private", 15),  # 127.0.0.1
        ("duplicate", "", 16),  # qq.com again
    ]
    assert (job.added, job.refused, job.duplicates) == (4, 2, 1)
    qq = Link.objects.get(owner=owner, url="https://www.qq.com/")
    assert link_tag_names(qq) == ["读书 & 笔记"]  # the duplicate's folder joined the link


def test_the_same_file_twice_changes_nothing_the_second_time(owner):
    first = import_file(owner, "chrome.html")
    links = list(Link.objects.filter(owner=owner).values_list("pk", "url", "created_at"))
    snapshots = Snapshot.objects.count()
    second = import_file(owner, "chrome.html")
    assert (first.added, second.added) == (4, 0)
    assert (second.unchanged, second.merged, second.captures_queued) == (4, 0, 0)
    assert list(Link.objects.filter(owner=owner).values_list("pk", "url", "created_at")) == links
    assert Snapshot.objects.count() == snapshots


def test_links_already_kept_get_the_new_tags(owner):
    add_link(owner, "https://www.python.org/", tags=["mine"], title="My title")
    job = import_file(owner, "chrome.html", tags=["导入"], visibility="private")
    assert (job.added, job.merged) == (3, 1)
    python = Link.objects.get(owner=owner, url="https://www.python.org/")
    assert sorted(link_tag_names(python)) == ["mine", "导入"]
    assert python.title == "My title"  # kept
    assert python.visibility == "private"
    assert job.captures_queued == 3  # the kept link had its snapshot already
    assert ImportedLink.objects.filter(job=job).count() == 4
    assert set(Link.objects.filter(owner=owner).values_list("visibility", flat=True)) == {"private"}


def test_the_file_says_which_links_are_private(owner):
    import_file(owner, "linkding.html")
    visibility = dict(Link.objects.filter(owner=owner).values_list("url", "visibility"))
    assert visibility == {
        "https://github.com/sissbruecker/linkding": "public",
        "https://example.com/private": "private",
    }


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "the file is empty"),
        (b"\n \n", "the file is empty"),
        (b"%PDF-1.4 not bookmarks", "not a bookmark file"),
        (b"hello world", "not a bookmark file"),
    ],
)
def test_a_wrong_file_is_refused_at_once(owner, content, message):
    with pytest.raises(services.ImportRefused, match=message):
        services.start_import(owner, io.BytesIO(content), file_name="x")
    assert ImportJob.objects.count() == 0
    assert list(services.import_dir().iterdir()) == []


@override_settings(IMPORT_MAX_BYTES=100)
def test_a_file_over_the_limit_is_refused_at_once(owner):
    with pytest.raises(services.ImportRefused, match="larger than the limit of 100 bytes"):
        services.start_import(owner, io.BytesIO(b"https://example.com/\n" * 10))
    assert ImportJob.objects.count() == 0


def test_every_format_imports(owner):
    for path in sorted(DATA.iterdir()):
        if path.name != "README.md":
            job = import_file(owner, path.name)
            assert job.status == "done", (path.name, job.error)
            assert job.added + job.merged + job.unchanged > 0, path.name


def test_an_interrupted_job_resumes_after_its_last_batch(owner, monkeypatch):
    """A worker killed mid-import: recovery queues the job again and it goes on from the
    last committed batch; every entry is a link once and counted once."""
    path = services.import_dir() / "big.txt"
    lines = "".join(f"https://example.com/page/{n}\n" for n in range(2500))
    with io.BytesIO(lines.encode()) as source:
        job = services.start_import(owner, source, file_name="big.txt")
    calls = {"n": 0}
    real_commit = services._commit

    def dying_commit(*args, **kwargs):
        calls["n"] += 1
        if calls["n"] == 2:
            raise SystemExit("killed")  # like kill -9: no cleanup runs after it
        return real_commit(*args, **kwargs)

    monkeypatch.setattr(services, "_commit", dying_commit)
    with pytest.raises(SystemExit):
        services._process(services.claim(job.pk, "dead-worker"))
    job.refresh_from_db()
    assert (job.status, job.entries_read, job.added) == ("running", 1000, 1000)
    monkeypatch.setattr(services, "_commit", real_commit)
    assert services.requeue_abandoned({"live"}, set()) == [job.pk]
    done = services.run_import(job.pk, "live")
    assert (done.status, done.added, done.duplicates, done.entries_read) == ("done", 2500, 0, 2500)
    assert Link.objects.filter(owner=owner).count() == 2500
    assert ImportedLink.objects.filter(job=job).count() == 2500
    assert Snapshot.objects.count() == 2500
    assert not path.exists()


def test_uploads_no_job_needs_are_removed_after_an_hour(owner):
    import os
    import time

    with (DATA / "chrome.html").open("rb") as source:
        waiting = services.start_import(owner, source, file_name="chrome.html")
    folder = services.import_dir()
    orphan = folder / "cut-short.upload"  # a web server killed while the file came in
    orphan.write_bytes(b"<DL><p><DT><A HREF=")
    young = folder / "arriving.upload"
    young.write_bytes(b"")
    hour_ago = time.time() - 3700
    for path in (orphan, folder / waiting.stored_name):
        os.utime(path, (hour_ago, hour_ago))
    assert services.forget_orphans() == 1
    assert not orphan.exists()
    assert young.exists() and (folder / waiting.stored_name).exists()  # young; needed
    young.unlink()
