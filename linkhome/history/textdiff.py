"""What changed between two readable texts, as edits a person reads, not character noise.

- Only the main text is compared (`Snapshot.text`, what extraction kept), so the dates of a
  visit, counters and rotating recommendations around the article do not count.
- The texts are cut into paragraphs (lines), then into tokens the way the search analyzer
  cuts them (`linkhome.search.analyzers`): Chinese by jieba's accurate cut of the same
  tokenizer (with the operator's user dictionary), every other run of letters and digits as
  one word; spaces and punctuation are tokens of their own, so the texts rebuild exactly.
- First the paragraphs are aligned (difflib's SequenceMatcher over whole paragraphs, with
  runs of whitespace folded): an unchanged paragraph costs one hash, however long the page.
  Only the stretches that differ are compared word by word. A stretch longer than
  MAX_BLOCK_TOKENS on either side, and every stretch once MAX_WORD_DIFF_CHARS characters
  were compared word by word, is reported as whole paragraphs (every word in it counts as
  changed), which keeps a rewrite of a huge page bounded in time.
- `added` and `removed` count paragraphs as `git diff` counts lines: a paragraph that was
  edited is one removed and one added. `ratio` is the share of the two texts' characters
  (spaces not counted) in words removed or added: 0 for identical texts, 1 when nothing is
  kept. Counting characters, not tokens, lets unchanged paragraphs go uncut: only what
  differs is handed to jieba.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from difflib import SequenceMatcher

from linkhome.search.analyzers import HAN, cut_runs

# Past this many tokens on one side, a changed stretch is shown as whole paragraphs removed
# and added: SequenceMatcher's worst case grows with the product of the two lengths.
MAX_BLOCK_TOKENS = 50_000
# Each text is compared on its first MAX_TEXT_CHARS characters (a 500-page PDF's text).
MAX_TEXT_CHARS = 1_000_000
# Characters of changed stretches cut into words per comparison (jieba cuts about 200k
# characters a second here); past it, further stretches are shown as whole paragraphs. A
# page rewritten from end to end gains nothing from word detail, and costs no more than this.
MAX_WORD_DIFF_CHARS = 200_000

_PIECES = re.compile(rf"([{HAN}]+)|([^\W_{HAN}]+)|(\s+)|(.)", re.S)
_SPACES = re.compile(r"\s+")
PARAGRAPH_BREAK = "\n"

EQUAL, DELETE, INSERT, REPLACE = "equal", "delete", "insert", "replace"


@dataclass(frozen=True)
class Part:
    """A piece of a hunk: text kept (equal), removed (delete) or added (insert)."""

    op: str
    text: str

    def as_dict(self) -> dict:
        return {"op": self.op, "text": self.text}


@dataclass
class Hunk:
    """One stretch that differs: paragraphs [a_start, a_end) of A became [b_start, b_end)
    of B. `parts` spell it word by word (or whole paragraphs when `detail` says so)."""

    op: str  # insert | delete | replace
    a_start: int
    a_end: int
    b_start: int
    b_end: int
    removed_chars: int
    added_chars: int
    detail: str  # "words", or "paragraphs" for a stretch past MAX_BLOCK_TOKENS
    parts: list[Part] = field(default_factory=list)

    def as_dict(self) -> dict:
        return {
            "op": self.op,
            "a_paragraphs": [self.a_start, self.a_end],
            "b_paragraphs": [self.b_start, self.b_end],
            "removed_chars": self.removed_chars,
            "added_chars": self.added_chars,
            "detail": self.detail,
            "parts": [part.as_dict() for part in self.parts],
        }


@dataclass
class TextDiff:
    """The comparison of text A with text B (A is the earlier one, usually)."""

    a_paragraphs: list[str]
    b_paragraphs: list[str]
    # Paragraph alignment: (op, a_start, a_end, b_start, b_end), equal stretches included.
    blocks: list[tuple[str, int, int, int, int]]
    hunks: list[Hunk]
    a_chars: int  # characters that are not space, in A and in B
    b_chars: int

    @property
    def changed(self) -> bool:
        return bool(self.hunks)

    @property
    def added(self) -> int:
        """Paragraphs of B that are new or edited."""
        return sum(h.b_end - h.b_start for h in self.hunks)

    @property
    def removed(self) -> int:
        """Paragraphs of A that are gone or edited."""
        return sum(h.a_end - h.a_start for h in self.hunks)

    @property
    def ratio(self) -> float:
        total = self.a_chars + self.b_chars
        if total == 0:
            return 1.0 if self.hunks else 0.0
        changed = sum(h.removed_chars + h.added_chars for h in self.hunks)
        return round(min(1.0, changed / total), 4)

    def as_dict(self) -> dict:
        return {
            "changed": self.changed,
            "ratio": self.ratio,
            "added": self.added,
            "removed": self.removed,
            "hunks": [hunk.as_dict() for hunk in self.hunks],
        }


def paragraphs(text: str) -> list[str]:
    """The text's non-empty lines, stripped: the paragraphs extraction wrote."""
    return [line.strip() for line in text[:MAX_TEXT_CHARS].split("\n") if line.strip()]


def tokenize(paras: list[str]) -> list[list[str]]:
    """Each paragraph as tokens that join back into it exactly: Chinese words (jieba's
    accurate cut, by the search analyzer's own tokenizer), other words, and single other
    characters (punctuation, symbols), each carrying the spaces that follow it."""
    pieces: list[list[tuple[bool, str]]] = []
    han_runs: list[str] = []
    for para in paras:
        row: list[tuple[bool, str]] = []
        for match in _PIECES.finditer(para):
            if match[1]:
                row.append((True, match[1]))
                han_runs.append(match[1])
            else:
                row.append((False, match[0]))
        pieces.append(row)
    cuts = iter(cut_runs(han_runs, search=False))  # one jieba call for all of them
    out: list[list[str]] = []
    for row in pieces:
        tokens: list[str] = []
        for is_han, text in row:
            if not is_han:
                if text.isspace() and tokens:
                    tokens[-1] += text  # spaces ride on the token before them
                else:
                    tokens.append(text)
                continue
            words = next(cuts)
            # cut_runs leaves out "words" past the index's length limit: keep the text.
            tokens.extend(words if "".join(words) == text else list(text))
        out.append(tokens)
    return out


def _key(token: str) -> str:
    """What is compared: the token without the spaces after it."""
    return token.rstrip()


def _chars(texts: list[str]) -> int:
    """Characters that are not space: what `ratio` counts."""
    return sum(len(text) - _space_count(text) for text in texts)


def _space_count(text: str) -> int:
    return sum(1 for char in text if char.isspace())


def compare_texts(a: str, b: str) -> TextDiff:
    """Compare text A with text B: paragraphs first, then words inside what differs."""
    a_paras, b_paras = paragraphs(a), paragraphs(b)
    a_keys = [_SPACES.sub(" ", p) for p in a_paras]
    b_keys = [_SPACES.sub(" ", p) for p in b_paras]
    matcher = SequenceMatcher(None, a_keys, b_keys, autojunk=False)
    blocks: list[tuple[str, int, int, int, int]] = [
        (str(op), i1, i2, j1, j2) for op, i1, i2, j1, j2 in matcher.get_opcodes()
    ]
    budget = [MAX_WORD_DIFF_CHARS]  # left to cut into words, shared by the hunks
    hunks = []
    for index, (op, i1, i2, j1, j2) in enumerate(blocks):
        if op == EQUAL:
            continue
        hunk = _hunk(op, a_paras[i1:i2], b_paras[j1:j2], (i1, i2, j1, j2), budget)
        if all(part.op == EQUAL or not part.text.strip() for part in hunk.parts):
            # Only the spacing between words (or where a paragraph breaks) differs: an
            # inserted or deleted part that is only a space or a paragraph break.
            blocks[index] = (EQUAL, i1, i2, j1, j2)
        else:
            hunks.append(hunk)
    return TextDiff(
        a_paragraphs=a_paras,
        b_paragraphs=b_paras,
        blocks=_merged(blocks),
        hunks=hunks,
        a_chars=_chars(a_paras),
        b_chars=_chars(b_paras),
    )


def _merged(blocks: list[tuple[str, int, int, int, int]]) -> list[tuple[str, int, int, int, int]]:
    """Adjacent equal stretches as one (a stretch that differed only in spacing became
    equal beside its neighbours)."""
    out: list[tuple[str, int, int, int, int]] = []
    for block in blocks:
        if out and block[0] == EQUAL and out[-1][0] == EQUAL:
            out[-1] = (EQUAL, out[-1][1], block[2], out[-1][3], block[4])
        else:
            out.append(block)
    return out


def _joined(rows: list[list[str]]) -> list[str]:
    """The tokens of several paragraphs, with a paragraph break token between them."""
    out: list[str] = []
    for index, row in enumerate(rows):
        if index:
            out.append(PARAGRAPH_BREAK)
        out.extend(row)
    return out


def _hunk(
    op: str,
    old_paras: list[str],
    new_paras: list[str],
    span: tuple[int, int, int, int],
    budget: list[int],
) -> Hunk:
    removed, added = _chars(old_paras), _chars(new_paras)
    hunk = Hunk(op, *span, removed_chars=removed, added_chars=added, detail="words")
    if op == REPLACE:
        # A token holds at least one character: more characters than the budget left, or
        # than a stretch may hold tokens times three, is not worth cutting into words.
        if removed + added <= budget[0] and max(removed, added) <= 3 * MAX_BLOCK_TOKENS:
            budget[0] -= removed + added
            old, new = _joined(tokenize(old_paras)), _joined(tokenize(new_paras))
            if max(len(old), len(new)) <= MAX_BLOCK_TOKENS:
                hunk.removed_chars, hunk.added_chars = 0, 0
                _word_parts(hunk, old, new)
                return hunk
        hunk.detail = "paragraphs"
    if old_paras:
        hunk.parts.append(Part(DELETE, PARAGRAPH_BREAK.join(old_paras)))
    if new_paras:
        hunk.parts.append(Part(INSERT, PARAGRAPH_BREAK.join(new_paras)))
    return hunk


def _word_parts(hunk: Hunk, old: list[str], new: list[str]) -> None:
    """Word-level parts of a replaced stretch. difflib's autojunk stays on: past 200 tokens
    it anchors matches on tokens rarer than 1% of the stretch (not 的, the or a comma),
    which keeps long stretches fast, and still extends every match over those common tokens
    when they agree on both sides."""
    matcher = SequenceMatcher(None, [_key(t) for t in old], [_key(t) for t in new])
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op == EQUAL:
            _append(hunk.parts, EQUAL, "".join(new[j1:j2]))
            continue
        if op in (DELETE, REPLACE):
            _append(hunk.parts, DELETE, "".join(old[i1:i2]))
            hunk.removed_chars += _chars(old[i1:i2])
        if op in (INSERT, REPLACE):
            _append(hunk.parts, INSERT, "".join(new[j1:j2]))
            hunk.added_chars += _chars(new[j1:j2])


def _append(parts: list[Part], op: str, text: str) -> None:
    if not text:
        return
    if parts and parts[-1].op == op:
        parts[-1] = Part(op, parts[-1].text + text)
    else:
        parts.append(Part(op, text))
