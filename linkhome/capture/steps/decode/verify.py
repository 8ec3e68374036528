"""Declared charsets, verified: a declaration is used only if the bytes bear it out.

Valid UTF-8 comes first (``as_utf8``), then each declaration in turn (``as_declared``).
"""

from __future__ import annotations

from dataclasses import dataclass

from charset_normalizer import CharsetMatches

from .decoded import Decoded
from .detect import Reading, analyse, best_reading, text_sample
from .sniff import (
    DECLARED_VALID_PER_INVALID,
    has_iso2022_escapes,
    lenient,
    utf8_text,
    utf16_order,
    without_faults,
)

# How much better another reading must score before it overrides a declaration (the
# declaration is evidence too). Measured on the text samples of the chardet corpus, over 804
# (file, wrong codec) pairs where the wrong codec decodes the bytes without error: 792 wrong
# readings are at least 0.032 more chaotic (26 of them by less than 0.1), 3 are as clean but
# at least 0.69 less coherent, and 9 cannot be told apart (cp1250 vs cp1252 on Latin text with
# a few accents; two EUC-JP files of one sentence). No wrong reading ever scored better than
# the right one, so the margins only guard against noise.
_CHAOS_MARGIN = 0.03
_COHERENCE_MARGIN = 0.2


@dataclass(frozen=True)
class _Score:
    chaos: float  # charset-normalizer's mess ratio: 0 is clean text
    coherence: float  # how well letter frequencies fit a language: 1 is a perfect fit


def _score(reading: Reading) -> _Score:
    # Each codec alone: the detector's ranking lists the declared codec only if it is a
    # candidate, and scores the narrow codec (big5) where the reading is the wide one. The
    # reading is scored from its own bytes, bad sequences left out, so that one stray byte
    # does not make a reading unscorable.
    sample = text_sample(without_faults(reading.text, reading.codec))
    best = analyse(sample, [reading.codec]).best()
    return _Score(best.chaos, best.coherence) if best is not None else _Score(9.0, 0.0)


def _clearly_better(rival: _Score, own: _Score) -> bool:
    if rival.chaos + _CHAOS_MARGIN < own.chaos:
        return True
    similar = abs(rival.chaos - own.chaos) <= _CHAOS_MARGIN
    return similar and rival.coherence >= own.coherence + _COHERENCE_MARGIN


def _agrees(body: bytes, codec: str, text: str, matches: CharsetMatches) -> bool:
    """Whether the bytes bear out a declared codec that decoded them without error.

    Single-byte charsets decode any bytes, and GB18030/Big5-HKSCS decode almost any pair of
    high bytes, so a clean decode proves little: a "latin1" header over GBK bytes, or a gb2312
    meta over Big5 bytes, decodes without error into mojibake. So the declaration stands
    unless the detector's best reading is clearly better: less chaotic (GBK read as latin1 is
    a soup of accented letters and symbols; charset-normalizer is then confident of GB18030),
    or as clean but in a language's letter frequencies where the declared reading has none.
    """
    best = best_reading(body, matches)
    if best is None or best.text == text:
        return True
    return not _clearly_better(_score(best), _score(Reading(codec, text)))


def _verified(body: bytes, codec: str, matches: CharsetMatches) -> str | None:
    """The text in the declared codec, or None when the bytes say otherwise; isolated bad
    sequences become U+FFFD as in a browser (sniff.lenient)."""
    if codec.startswith("utf-16"):
        return body.decode(codec, "replace") if utf16_order(body) == codec else None
    if codec == "utf-8" or utf16_order(body):
        return None  # UTF-8 was settled before; NUL patterns are UTF-16, not this codec
    if has_iso2022_escapes(body) and not codec.startswith("iso2022"):
        return None  # in any other charset its shift sequences are raw control characters
    text = lenient(body, codec, DECLARED_VALID_PER_INVALID)
    if text is None or text.isascii() or _agrees(body, codec, text, matches):
        return text
    return None


def as_declared(
    body: bytes, declared: list[tuple[str, str]], matches: CharsetMatches
) -> Decoded | None:
    """The first declaration (header before document) that the bytes bear out."""
    for source, codec in declared:
        text = _verified(body, codec, matches)
        if text is not None:
            return Decoded(text, codec, source)
    return None


def as_utf8(body: bytes, declared: list[tuple[str, str]]) -> Decoded | None:
    """Valid UTF-8 wins over any other declaration: legacy bytes that happen to form valid
    UTF-8 beyond a few characters are vanishingly rare, while pages that were transcoded to
    UTF-8 but kept their gb2312/euc-jp meta, or served with a default latin1 header, are common.
    Pure ASCII reads the same in every ASCII-compatible charset, so then the declaration stands.
    """
    text = utf8_text(body) if not utf16_order(body) else None
    if text is None:
        return None
    if text.isascii():
        ascii_ok = [(s, c) for s, c in declared if not c.startswith("utf-16")]
        source, codec = ascii_ok[0] if ascii_ok else ("detected", "utf-8")
        return Decoded(text, codec, source)
    sources = [s for s, c in declared if c == "utf-8"]
    return Decoded(text, "utf-8", sources[0] if sources else "detected")
