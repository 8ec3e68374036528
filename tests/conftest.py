"""Shared pytest fixtures: they live in linkhome/testing/fixtures.py (the one module of
linkhome.testing that imports pytest); importing them here makes them every test's."""

import os

import pytest

# A real HTTP server and a real S3 server on 127.0.0.1, and the shared cast (owner, another user, anonymous).
from linkhome.testing.fixtures import (  # noqa: F401
    anonymous,
    blob_store,
    http_server,
    other_user,
    owner,
    s3_blobs,
    s3_server,
)

# Browser mode on (Chromium required in CI), for the tests about it.
from tests.browser_support import browser_mode  # noqa: E402, F401

# The longest files, longest first, as measured with --durations on both passes (refresh it
# when a file's time changes a lot). make test hands whole files to its processes in
# collection order (--dist loadfile --no-loadscope-reorder: xdist would otherwise put the
# files with the most tests first, and these, with few slow tests each, last); starting
# the long ones first keeps any of them from being the one still running at the end.
LONGEST_FIRST = (
    "tests/test_recommend_quality.py",
    "tests/test_tag_names_round_trip.py",
    "tests/test_cli.py",
    "tests/e2e/test_hostile_snapshot.py",
    "tests/test_queue_backends.py",
    "tests/test_worker_gives_memory_back.py",
    "tests/test_extract_quality.py",
    "tests/e2e/test_accessibility_audit.py",
    "tests/test_serve.py",
    "tests/test_addresses_at_the_door.py",
    "tests/test_api_contract.py",
    "tests/test_it_reads_gbk_pages_end_to_end.py",
    "tests/e2e/test_single_file_offline.py",
    "tests/test_it_puts_fresh_links_first.py",
    "tests/test_search_corpus_recall.py",
    "tests/test_it_exports_wacz.py",
    "tests/test_it_replays_in_pywb.py",
    "tests/test_it_rides_out_a_database_outage.py",
    "tests/test_signin_throttling.py",
    "tests/test_browser_option_per_link.py",
    "tests/e2e/test_user_journey.py",
    "tests/e2e/test_keyboard_shortcuts.py",
    "tests/e2e/test_reading_view.py",
    "tests/e2e/test_save_from_anywhere.py",
)


@pytest.hookimpl(trylast=True)  # after pytest's own reordering for module-scoped fixtures
def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    rank = {path: place for place, path in enumerate(LONGEST_FIRST)}
    # A stable sort: the files keep their tests' order, the other files theirs.
    items.sort(key=lambda item: rank.get(item.nodeid.split("::")[0], len(rank)))


def pytest_sessionstart(session: pytest.Session) -> None:
    # Locally a missing corpus skips its tests; in CI it must be there, so say so loudly.
    from linkhome.testing.corpus import corpus_dir

    if os.environ.get("CI") and not corpus_dir().is_dir():
        pytest.exit(f"CI: the shared corpus is missing at {corpus_dir()}", returncode=1)
