"""The single-file builder on a full page: every available asset inlined, no network reference."""

from linkhome.capture.steps.single_file import SingleFile
from tests.single_file_support import (
    FULL_PAGE,
    SITE,
    full_page_fixture,  # noqa: F401  (the `full` fixture)
    full_site,
    network_references,
)


def test_the_full_page_has_no_network_references(full: SingleFile) -> None:
    assert network_references(full.html) == []


def test_the_checker_sees_what_the_original_page_would_load() -> None:
    found = network_references(FULL_PAGE)
    assert any("site.css" in r for r in found) and any("photo-800.png" in r for r in found)
    assert any("script" in r for r in found) and any("refresh" in r for r in found)


def test_the_full_page_inlines_every_available_asset(full: SingleFile) -> None:
    assert set(full_site()) - set(full.assets) == {f"{SITE}/2024/05/photo-400.png"}  # 800w won
    assert full.failed == {f"{SITE}/2024/05/missing.png": "not fetched"}
