"""The same address sent twice at the same moment (a double click, a retried request)
gives one link, one snapshot queued, and no error."""

import threading

import pytest
from django.db import connection

from linkhome.archive.models import Snapshot
from linkhome.links.models import Link
from linkhome.links.services import add_link

pytestmark = pytest.mark.django_db(transaction=True)


def test_simultaneous_duplicates_make_one_link(owner):
    if connection.vendor == "sqlite":
        pytest.skip(
            "SQLite serializes writers; the race needs a server database (runs on PostgreSQL)"
        )
    barrier, results, errors = threading.Barrier(4), [], []

    def submit() -> None:
        try:
            barrier.wait()
            results.append(add_link(owner, "https://example.com/double-click"))
        except Exception as exc:  # the test reports any failure below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=submit) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert errors == []
    assert Link.objects.count() == 1
    assert len({r.link.pk for r in results}) == 1
    assert Snapshot.objects.count() == 1
