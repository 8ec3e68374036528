"""Detection when no declaration holds: UTF-16's NUL pattern, then charset-normalizer over the
page's non-ASCII text, then UTF-8 with replacement characters."""

from __future__ import annotations

import codecs
import re
from dataclasses import dataclass

from charset_normalizer import CharsetMatch, CharsetMatches, from_bytes

from .decoded import Decoded
from .labels import widen
from .sniff import has_iso2022_escapes, lenient, strict, utf16_order, without_faults

# What a browser's detector may guess (Firefox's chardetng set) plus the legacy Korean
# encodings Python can read. Exotic code pages (hp_roman8, cp775, mac_*) fit short Latin texts
# as well as windows-1252 does and were never page charsets, so they are not candidates.
# UTF-16 is left to utf16_order: any byte pairs decode as UTF-16, so guessing it from
# statistics turns legacy CJK into mojibake.
# fmt: off
_CANDIDATES = [
    "cp1252", "cp1250", "cp1251", "cp1253", "cp1254", "cp1255", "cp1256", "cp1257", "cp1258",
    "cp874", "iso8859_2", "iso8859_4", "iso8859_5", "iso8859_6", "iso8859_7", "iso8859_8",
    "iso8859_13", "koi8_r", "koi8_u", "cp866",
    "gb18030", "big5hkscs", "cp932", "euc_jp", "iso2022_jp", "cp949", "johab", "iso2022_kr",
]
# fmt: on
# charset-normalizer drops readings messier than this; its default, 0.2, drops right readings
# of symbol-heavy text (cp932 "＿|￣|○" art, Big5 names), and any reading beats U+FFFD.
_DETECTOR_THRESHOLD = 1.0
# Ties between readings go to the charset most used on the web (windows-1252 is also what
# latin1 and ascii labels mean), Chinese first among the CJK ones for this platform's users.
_PRIOR = ["cp1252", "gb18030", "big5hkscs", "cp932", "euc_jp", "cp949", "cp1251", "cp1250"]
_SAMPLE_BYTES = 65536
_PIECE = re.compile(rb'[^\n<>"]+')


@dataclass(frozen=True)
class Reading:
    codec: str
    text: str


def text_sample(body: bytes) -> bytes:
    """The pieces of text that hold non-ASCII bytes, about the first 64 KB of them.

    Markup, scripts and styles are ASCII: left in, they dilute every reading's scores until a
    wrong reading of a page's few lines of text looks as clean as the right one (and a
    minified page is one long line). The cuts fall on newline, <, > and ", bytes below 0x40
    that no legacy charset uses inside a multibyte character, so every piece decodes whole.
    """
    if has_iso2022_escapes(body):
        # 7-bit, and shift states span pieces: only whole lines from the top decode.
        return body[: body.rfind(b"\n", 0, _SAMPLE_BYTES) + 1 or _SAMPLE_BYTES]
    pieces, size = [], 0
    for found in _PIECE.finditer(body):
        if not found[0].isascii():
            pieces.append(found[0])
            size += len(found[0])
            if size >= _SAMPLE_BYTES:
                break
    return b"\n".join(pieces)


# The charsets whose readings a single stray byte in the sample drops from the detector's
# results (a single-byte reading never errs). See _add_lenient.
_MULTIBYTE = ["gb18030", "big5hkscs", "cp932", "euc_jp", "cp949", "johab"]


def detector(body: bytes) -> CharsetMatches:
    sample = text_sample(body)
    matches = analyse(sample, _CANDIDATES)
    _add_lenient(matches, sample)
    return matches


def _add_lenient(matches: CharsetMatches, sample: bytes) -> None:
    """Score the multibyte readings that the sample's stray bad bytes kept out.

    charset-normalizer drops a codec that cannot decode every byte of the sample, so a GBK
    page with one bad sequence would be left to readings that never err (iso8859-7 reads
    any byte) and come out as mojibake. A reading with isolated errors is scored on its
    good bytes; a wrong one errs too often to be lenient (sniff.lenient), or scores worse.
    """
    found = {codecs.lookup(match.encoding).name for match in matches}
    for codec in _MULTIBYTE:
        if codec in found or strict(sample, codec) is not None:
            continue
        text = lenient(sample, codec)
        if text is not None:
            for match in analyse(without_faults(text, codec), [codec]):
                matches.append(match)


def analyse(sample: bytes, candidates: list[str]) -> CharsetMatches:
    """charset-normalizer over the whole sample at once.

    Its default, five chunks of 512 bytes, lets one odd chunk (a title in ☆˚。★ symbols) decide
    the mean; the sample is at most ~64 KB, cheap to score whole.
    """
    return from_bytes(
        sample,
        steps=1,
        chunk_size=max(len(sample), 1),
        cp_isolation=candidates,
        threshold=_DETECTOR_THRESHOLD,
        preemptive_behaviour=False,  # declarations are weighed outside the detector
    )


def _prior(codec: str) -> int:
    return _PRIOR.index(codec) if codec in _PRIOR else len(_PRIOR)


def _codecs_of(match: CharsetMatch) -> list[str]:
    """The codecs that give this match's text, widened, most common on the web first."""
    return sorted(dict.fromkeys(widen(c) for c in match.could_be_from_charset), key=_prior)


def _by_preference(matches: CharsetMatches) -> list[CharsetMatch]:
    """The detector's ranking, with ties broken by how common each charset is.

    Short texts read equally well in several code pages (Latin text as cp1250, cp1252 or
    cp1258; "Привет" as cp1250 or cp1251), and charset-normalizer then ranks by name. A tie
    (chaos within 0.005, as charset-normalizer counts one, and coherence within 0.1) goes to
    the commoner charset instead.
    """
    ranked = list(matches)
    if not ranked:
        return ranked
    top = ranked[0]
    tied = [
        m
        for m in ranked
        if abs(m.chaos - top.chaos) <= 0.005 and abs(m.coherence - top.coherence) <= 0.1
    ]
    tied.sort(key=lambda m: _prior(_codecs_of(m)[0]))
    return tied + [m for m in ranked if m not in tied]


def _read(body: bytes, match: CharsetMatch) -> Reading | None:
    """The match's reading of the whole body, widened if the wider codec accepts the bytes.

    The detector reads a sample; a reading counts only if every byte of the body decodes,
    or the bad sequences are isolated (sniff.lenient): then they become U+FFFD.
    """
    narrow = codecs.lookup(match.encoding).name
    tried = list(dict.fromkeys([*_codecs_of(match), narrow]))
    for decode in (strict, lenient):
        for codec in tried:
            text = decode(body, codec)
            if text is not None:
                return Reading(codec, text)
    return None


def best_reading(body: bytes, matches: CharsetMatches) -> Reading | None:
    for match in _by_preference(matches):
        reading = _read(body, match)
        if reading is not None:
            return reading
    return None


def detect(body: bytes, matches: CharsetMatches) -> Decoded:
    order = utf16_order(body)
    if order:  # the NUL pattern is strong evidence: a cut last byte becomes U+FFFD
        return Decoded(body.decode(order, "replace"), order, "detected")
    best = best_reading(body, matches)
    if best is not None:
        return Decoded(best.text, best.codec, "detected")
    return Decoded(body.decode("utf-8", "replace"), "utf-8", "fallback")
