"""Highlighted snippets, cut from the original text (never from the token stream).

The index holds space-joined tokens in which 中华人民共和国 is six overlapping words, so a
snippet made from it would show "中华 华人 人民 …". Both backends therefore only rank; the
snippet is found here, in the page's own text, with one regular expression per query built
from the folded query terms (case-insensitive, full-width forms accepted). Windows are cut
between characters, never inside a Latin word when it can be helped, and never between a
character and the combining marks, variation selectors or joiners that belong to it. The
result is HTML: the text escaped, each hit in <mark>…</mark>.
"""

import re
import unicodedata
from collections import Counter
from dataclasses import dataclass
from html import escape, unescape

from linkhome.search.analyzers import HAN
from linkhome.search.matching import char_class

SNIPPET_CHARS = 110
LEAD_CHARS = 24  # context shown before the first hit
MAX_HITS = 100  # enough to place a window well; counting more costs more than it shows
_WORD = f"[^\\W_{HAN}]"  # a letter or digit that is not Han: Latin words have edges
_SPACE = re.compile(r"\s+")
_ELLIPSIS = "…"


@dataclass(frozen=True)
class Hit:
    start: int
    end: int
    key: str


def compile_terms(terms: list[str]) -> re.Pattern | None:
    """One pattern for every term, longest first, so 中华人民共和国 wins over 人民."""
    pieces = [_term_pattern(t) for t in sorted(set(terms), key=len, reverse=True) if t.strip()]
    return re.compile("|".join(pieces), re.IGNORECASE) if pieces else None


def _term_pattern(term: str) -> str:
    """A Latin term must not touch other letters ("ai" is not in "said"). The edge check
    comes after the first character, so the regex engine still scans for that character
    instead of trying the check at every position of the text."""
    chars = [r"\s*".join("".join(char_class(c) for c in piece) for piece in term.split())]
    first, rest = _first_char(chars[0])
    before = f"(?<!{_WORD}.)" if re.match(_WORD, term) else ""
    after = f"(?!{_WORD})" if re.search(f"{_WORD}$", term) else ""
    return f"(?:{first}{before}{rest}{after})"


def _first_char(pattern: str) -> tuple[str, str]:
    """Split a char_class() pattern after its first character's class."""
    for opening, closing in (("[", "]"), ("(?:", ")")):
        if pattern.startswith(opening):
            end = pattern.index(closing, len(opening)) + 1
            return pattern[:end], pattern[end:]
    return pattern[:1], pattern[1:]


def hits(text: str, pattern: re.Pattern | None) -> list[Hit]:
    if pattern is None:
        return []
    found = []
    for match in pattern.finditer(text):
        found.append(Hit(match.start(), match.end(), match[0].lower()))
        if len(found) >= MAX_HITS:
            break
    return found


def snippet(text: str, pattern: re.Pattern | None, length: int = SNIPPET_CHARS) -> str:
    """The best window of `text` (most distinct terms, then most hits) with hits marked; the
    beginning of the text when nothing matches in it (the match was in the title or tags)."""
    found = hits(text, pattern)
    start = _best_start(found, length) if found else 0
    start = _clean_start(text, start)
    end = _clean_end(text, min(len(text), start + length))
    inside = [h for h in found if h.start >= start and h.end <= end]
    marked = _mark(text, start, end, inside).strip()
    return f"{_ELLIPSIS if start else ''}{marked}{_ELLIPSIS if end < len(text) else ''}"


def mark_all(text: str, pattern: re.Pattern | None) -> str:
    """The whole (short) text, escaped, with every hit marked: for titles."""
    return _mark(text, 0, len(text), hits(text, pattern))


def _best_start(found: list[Hit], length: int) -> int:
    """Where the window holding the most distinct terms (then the most hits) starts: one
    pass, the window's terms counted as it slides."""
    best, best_score, right, inside = found[0].start, (0, 0), 0, Counter[str]()
    for left, hit in enumerate(found):
        while right < len(found) and found[right].end <= hit.start + length - LEAD_CHARS:
            inside[found[right].key] += 1
            right += 1
        score = (len(inside), right - left)
        if score > best_score:
            best, best_score = hit.start, score
        if right > left:  # the hit leaves the window before the next one starts it
            inside[hit.key] -= 1
            if not inside[hit.key]:
                del inside[hit.key]
        else:
            right = left + 1
    return max(0, best - LEAD_CHARS)


def _clean_start(text: str, start: int) -> int:
    """Move a cut forward off a combining mark, and out of a Latin word when it is short."""
    if start and re.match(_WORD, text[start - 1]) and re.match(_WORD, text[start]):
        word = re.compile(f"{_WORD}*").match(text, start)
        assert word, "a run of none or more letters matches anywhere"
        word_end = word.end()
        if word_end - start <= 16:
            start = word_end
    while start < len(text) and _attached(text[start]):
        start += 1
    return start


def _clean_end(text: str, end: int) -> int:
    """Move a cut back to a Latin word's start (when short), then past the marks that belong
    to the last character kept."""
    if 0 < end < len(text) and re.match(_WORD, text[end - 1]) and re.match(_WORD, text[end]):
        back = end
        while back > 0 and re.match(_WORD, text[back - 1]):
            back -= 1
        if end - back <= 16 and back > 0:
            end = back
    while end < len(text) and _attached(text[end]):
        end += 1
    return end


def _attached(char: str) -> bool:
    """A character that only makes sense with the one before it."""
    code = ord(char)
    return (
        unicodedata.combining(char) != 0
        or unicodedata.category(char) in ("Mn", "Mc", "Me")
        or 0xFE00 <= code <= 0xFE0F  # variation selectors
        or 0xE0100 <= code <= 0xE01EF
        or code in (0x200D, 0x20E3)  # zero-width joiner, keycap
        or 0x1F3FB <= code <= 0x1F3FF  # skin tones
    )


def _mark(text: str, start: int, end: int, inside: list[Hit]) -> str:
    out, at = [], start
    for hit in inside:
        if hit.start < at:  # overlapping hits: the first (longest at its place) wins
            continue
        out += [_plain(text[at : hit.start]), f"<mark>{_plain(text[hit.start : hit.end])}</mark>"]
        at = hit.end
    out.append(_plain(text[at:end]))
    return "".join(out)


def _plain(text: str) -> str:
    return escape(_SPACE.sub(" ", text))


def strip_marks(html: str) -> str:
    """The snippet as plain text (for terminals and plain-text clients)."""
    return unescape(html.replace("<mark>", "").replace("</mark>", ""))
