"""An upgrade that changes analysis changes the index version; the first search of a process
then rebuilds the index, so nobody searches tokens made by another analysis."""

from dataclasses import replace

import pytest

from linkhome.search import api, versioning
from linkhome.search.backends import backend
from linkhome.search.models import IndexState
from linkhome.testing.factories import kept
from tests.search_support import found

pytestmark = pytest.mark.django_db


@pytest.fixture
def pages(owner):
    pages = [kept(owner, f"https://a.test/{n}", text="版本升级") for n in range(2)]
    versioning.mark_current()
    yield pages
    versioning.forget()


def analysed_by_an_older_version(page) -> None:
    document = backend().stored([page.link_id])[page.link_id]
    backend().write([replace(document, body="旧 的 分析")])


def a_new_process_with_version(value: str | None) -> None:
    IndexState.objects.all().delete()
    if value is not None:
        IndexState.objects.create(key=versioning.KEY, value=value)
    versioning.forget()


def test_a_stale_version_rebuilds_everything_at_the_first_search(pages):
    analysed_by_an_older_version(pages[0])
    backend().delete([pages[1].link_id])
    a_new_process_with_version("0:older-analysis")
    assert sorted(found(None, "版本升级")) == sorted(p.pk for p in pages)
    assert found(None, "分析") == []
    assert versioning.stored() == versioning.wanted()


def test_no_version_yet_indexes_only_what_is_missing(pages):
    # A fresh install, or an instance upgraded from before search: what the index holds was
    # written by this code; the pages kept before it existed are added.
    analysed_by_an_older_version(pages[0])
    backend().delete([pages[1].link_id])
    a_new_process_with_version(None)
    assert found(None, "版本升级") == [pages[1].pk]
    assert found(None, "分析") == [pages[0].pk]
    assert versioning.stored() == versioning.wanted()


def test_the_first_write_records_the_version(owner):
    a_new_process_with_version(None)
    kept(owner, "https://a.test/new", text="新装")
    assert versioning.stored() == versioning.wanted()
    versioning.forget()


def test_a_current_version_is_checked_once_per_process(pages, django_assert_num_queries):
    backend().delete([pages[1].link_id])
    versioning.forget()
    assert found(None, "版本升级") == [pages[0].pk]  # current: nothing rebuilt
    with django_assert_num_queries(3):  # results, their snapshots, their tags: no version
        api.search(None, "版本升级")


def test_the_version_names_the_code_and_the_analysis(pages):
    assert versioning.wanted().startswith(f"{versioning.INDEX_VERSION}:")
