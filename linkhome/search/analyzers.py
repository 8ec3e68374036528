"""Text into search tokens, the same way for documents (once, at index time) and queries.

- NFKC first, so full-width letters and digits (ＡＢＣ１２３) fold to ASCII, then lower case;
  CJK radical code points (⺠, ⻰: what some PDF fonts give) become the ideographs they stand
  for (民, 龙), so "国⺠经济" indexed or typed matches 国民经济 (``linkhome.lib.cjk_radicals``).
- The text is cut into runs: Han ideographs, and everything else made of letters and digits
  (Latin, Cyrillic, kana, Hangul…). Punctuation, spaces and symbols only separate runs.
- A Han run goes through jieba in search-engine mode: every word of the accurate cut, preceded
  by the dictionary words of two and three characters inside it, so 中华人民共和国 yields
  中华 华人 人民 共和 共和国 中华人民共和国 and both 人民 and the whole name match.
  Dictionary words only (jieba's HMM is off): the HMM guesses unknown words from their
  neighbours, so a name is cut one way in a page (张喆谈) and another in the query (张喆) and
  never matches; without it, unknown characters are one-character tokens on both sides. (It
  is also 35% faster.) Names and jargon belong in the user dictionary.
- Any other run is one token: "iphone", "2024", "covid" and "19" from COVID-19.

Tokens are joined by single spaces and handed to the database, whose own tokenizer then only
splits on those spaces (FTS5 `ascii`, tsvector literals on PostgreSQL), so both backends index
exactly these tokens.
"""

import hashlib
import re
import unicodedata
import warnings
from functools import cache
from pathlib import Path
from typing import NamedTuple

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from linkhome.lib.cjk_radicals import unify_radicals

with warnings.catch_warnings():
    # jieba 0.42's regular expressions use escapes Python 3.12 deprecates; noise, not news.
    warnings.simplefilter("ignore", DeprecationWarning)
    warnings.simplefilter("ignore", SyntaxWarning)
    import jieba

# Longer "words" are base64, hashes or minified code: nobody searches for them, and they
# would bloat the index (PostgreSQL refuses lexemes over 2 KiB outright).
MAX_TOKEN_LENGTH = 64
# Han ideographs: CJK unified ideographs and extension A, compatibility ideographs, and the
# supplementary-plane extensions B to H.
HAN = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003134f"
_RUNS = re.compile(rf"([{HAN}]+)|([^\W_{HAN}]+)")
_HAN_CHAR = re.compile(f"[{HAN}]")


class Run(NamedTuple):
    """A stretch of folded text that is analysed as one unit."""

    text: str
    han: bool


def fold(text: str) -> str:
    """NFKC, radicals as ideographs, lower case: what every comparison in search is made on."""
    return unify_radicals(unicodedata.normalize("NFKC", text)).lower()


def runs(text: str) -> list[Run]:
    """The Han and non-Han word runs of the folded text, in order; punctuation dropped."""
    return [Run(m[0], bool(m[1])) for m in _RUNS.finditer(fold(text))]


def has_han(text: str) -> bool:
    return _HAN_CHAR.search(text) is not None


def tokens(text: str) -> list[str]:
    """Every token of a document's text, in order (Han runs in search-engine mode)."""
    parts = runs(text)
    han = iter(cut_runs([run.text for run in parts if run.han], search=True))
    out: list[str] = []
    for run in parts:
        if run.han:
            out.extend(next(han))
        elif len(run.text) <= MAX_TOKEN_LENGTH:
            out.append(run.text)
    return out


def index_text(text: str) -> str:
    """The space-joined tokens stored in the index."""
    return " ".join(tokens(text))


def words(han_run: str) -> list[str]:
    """jieba's accurate cut of a Han run: the words a person would see."""
    return cut_runs([han_run], search=False)[0]


def search_words(han_run: str) -> list[str]:
    """jieba's search-engine cut: each word preceded by the shorter words inside it."""
    return cut_runs([han_run], search=True)[0]


def cut_runs(han_runs: list[str], *, search: bool) -> list[list[str]]:
    """The words of each Han run, cut in one jieba call: a page has thousands of short runs
    between its punctuation, and a call per run costs more than the cutting itself."""
    if not han_runs:
        return []
    tk = tokenizer()
    cut = tk.cut_for_search if search else tk.cut
    out: list[list[str]] = [[]]
    for word in cut("\n".join(han_runs), HMM=False):
        if word == "\n":  # jieba passes line breaks through as tokens of their own
            out.append([])
        elif len(word) <= MAX_TOKEN_LENGTH:
            out[-1].append(word)
    return out


@cache
def tokenizer() -> jieba.Tokenizer:
    """The one jieba tokenizer of this process, with the operator's user dictionary.

    Its own instance, not jieba's global one, so nothing else that loads a dictionary into
    jieba changes how the index is segmented behind its back."""
    jieba.setLogLevel(60)  # jieba logs its dictionary loading at INFO on every start
    tk = jieba.Tokenizer()
    tk.initialize()
    path = user_dictionary()
    if path is not None:
        tk.load_userdict(str(path))
    return tk


def user_dictionary() -> Path | None:
    """LINKHOME_SEARCH_USER_DICT: a jieba dictionary file (`word [freq] [tag]` per line)."""
    raw = getattr(settings, "SEARCH_USER_DICT", "")
    if not raw:
        return None
    path = Path(raw)
    if not path.is_file():
        raise ImproperlyConfigured(f"LINKHOME_SEARCH_USER_DICT={raw!r} is not a readable file")
    return path


def fingerprint() -> str:
    """Names what the analysis depends on besides this code (whose changes bump
    versioning.INDEX_VERSION): jieba's version and the user dictionary, since a new word
    changes how pages already indexed are cut."""
    digest = hashlib.sha256(f"jieba {jieba.__version__}|".encode())
    path = user_dictionary()
    if path is not None:
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]
