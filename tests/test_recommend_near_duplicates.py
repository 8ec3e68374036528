"""Near-duplicates: MinHash sketches of word 3-shingles (recommend.fingerprint)."""

from linkhome.recommend.fingerprint import (
    SKETCH,
    hashes,
    near_duplicates,
    resemblance,
    sketch,
)
from linkhome.search.api import analyze
from tests.recommend_support import FOOTBALL_EN, FOOTBALL_ZH

LONG = " ".join(FOOTBALL_EN * 10 + [f"word{n} and more" for n in range(300)])


def of(text: str) -> frozenset[int]:
    return hashes(sketch(analyze(text)))


def test_a_sketch_holds_at_most_sketch_size_hashes_and_none_without_text():
    assert len(of(LONG)) == SKETCH
    assert sketch([]) == b"" and of("") == frozenset()
    assert not near_duplicates(of(""), of(""))  # two empty pages are not copies


def test_a_copy_with_a_word_changed_or_a_note_added_is_a_near_duplicate():
    assert near_duplicates(of(FOOTBALL_EN[0]), of(FOOTBALL_EN[0].replace("twice", "two goals")))
    assert near_duplicates(of(FOOTBALL_ZH[1]), of(FOOTBALL_ZH[1] + "（转载）"))
    assert resemblance(of(LONG), of(LONG)) == 1.0


def test_a_long_copy_with_a_tenth_replaced_is_a_near_duplicate():
    words = LONG.split()
    cut = len(words) // 10
    copy = " ".join(words[cut:] + [f"other{n}" for n in range(cut)])
    assert near_duplicates(of(LONG), of(copy))


def test_pages_on_the_same_subject_are_not_near_duplicates():
    assert resemblance(of(FOOTBALL_EN[0]), of(FOOTBALL_EN[1])) < 0.1
    assert not near_duplicates(of(FOOTBALL_ZH[0]), of(FOOTBALL_ZH[2]))
