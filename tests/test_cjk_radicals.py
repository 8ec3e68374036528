"""CJK radical code points read as the ideographs they stand for (issue 16), in the text of
PDFs and in search: the table, the fold, and searches over text that still holds radicals."""

import re
import unicodedata

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from linkhome.lib.cjk_radicals import RADICAL_TO_IDEOGRAPH, RADICALS_OF, unify_radicals
from linkhome.search import analyzers, matching
from linkhome.testing.factories import kept
from tests.search_support import found

KANGXI = range(0x2F00, 0x2FD6)
SUPPLEMENT = range(0x2E80, 0x2EF4)


def test_the_issue_example_reads_as_people_read_it() -> None:
    assert unify_radicals("⻰岗区国⺠经济") == "龙岗区国民经济"


def test_every_kangxi_radical_and_every_listed_supplement_radical_is_mapped() -> None:
    assert {ord(c) for c in RADICAL_TO_IDEOGRAPH} >= set(KANGXI)
    supplement = {ord(c) for c in RADICAL_TO_IDEOGRAPH} - set(KANGXI)
    assert supplement <= set(SUPPLEMENT) and len(supplement) == 114


def test_every_target_is_a_unified_ideograph() -> None:
    for radical, ideograph in RADICAL_TO_IDEOGRAPH.items():
        assert unicodedata.name(ideograph).startswith("CJK UNIFIED IDEOGRAPH-"), hex(ord(radical))


def test_the_table_agrees_with_nfkc_wherever_nfkc_maps_a_radical() -> None:
    for radical, ideograph in RADICAL_TO_IDEOGRAPH.items():
        folded = unicodedata.normalize("NFKC", radical)
        assert folded in (radical, ideograph), hex(ord(radical))


def test_radicals_of_lists_every_radical_standing_for_an_ideograph() -> None:
    assert RADICALS_OF["民"] == "⺠"
    assert set(RADICALS_OF["人"]) == {"⼈"}
    assert all(RADICAL_TO_IDEOGRAPH[r] == i for i, rs in RADICALS_OF.items() for r in rs)


@settings(max_examples=60, deadline=None)
@given(st.text())
def test_unifying_is_idempotent_and_changes_only_radicals(text: str) -> None:
    once = unify_radicals(text)
    assert unify_radicals(once) == once
    assert len(once) == len(text)
    for before, after in zip(text, once, strict=True):
        assert after == before or RADICAL_TO_IDEOGRAPH[before] == after
    assert not any(c in RADICAL_TO_IDEOGRAPH for c in once)


def test_the_search_fold_turns_radicals_into_ideographs_on_both_sides() -> None:
    assert analyzers.index_text("国⺠经济") == analyzers.index_text("国民经济")
    assert "国民经济" in analyzers.tokens("⻰岗区国⺠经济发展")


def test_a_phrase_pattern_matches_stored_text_that_still_holds_radicals() -> None:
    pattern = matching.phrase_pattern("国民经济")
    assert re.search(pattern, "龙岗区国⺠经济发展")
    assert re.search(pattern, "国民经济")
    assert re.search(matching.phrase_pattern("国⺠经济"), "国民经济")


@pytest.mark.django_db
def test_text_kept_with_radicals_is_found_by_the_ideographs_and_as_a_phrase(owner) -> None:
    """What a reindex gives pages captured before (an HTML page whose text holds radicals)."""
    page = kept(owner, "https://gov.example.cn/gb.html", text="⻰岗区国⺠经济和社会发展统计公报")
    assert found(None, "国民经济") == [page.pk]
    assert found(None, '"国民经济"') == [page.pk]
    assert found(None, "国⺠经济") == [page.pk]


@pytest.mark.django_db
def test_a_phrase_whose_every_ideograph_has_a_radical_form_is_still_found(owner) -> None:
    page = kept(owner, "https://gov.example.cn/pc.html", text="第七次全国⼈⼝普查公报")
    other = kept(owner, "https://gov.example.cn/x.html", text="人很多，口很小")
    assert found(None, '"人口"') == [page.pk]
    assert other.pk not in found(None, '"人口"')
