"""A page's keywords, for tag suggestions: words a person would pick, best first.

- Chinese: jieba's TF-IDF keyword extraction (jieba.analyse), with the search analyzer's
  tokenizer (so the operator's user dictionary applies) and jieba's IDF table from a large
  general corpus. Its cut keeps whole words (机器学习, not 机器 学习 机器学习 as the index
  does), which is what a tag is. The title is counted twice.
- Other scripts: the index's own tokens, TF-IDF against the search index (the same weighting
  related articles start from), a word counting a bit more the earlier it first appears
  (news and articles say what they are about first). On the kpcrowd corpus this beat YAKE
  (recall@5 0.056) and bigram phrases; see bench/recommend_quality.py for its figures.
A mixed page gets both, weighed by the share of Han characters in its text.
"""

import math
import re
import warnings
from collections import Counter
from functools import cache

from linkhome.recommend import corpus
from linkhome.recommend.stopwords import is_stopword
from linkhome.search import analyzers
from linkhome.search.analyzers import jieba  # imported there with its warnings silenced

POSITION_BONUS = 0.5
MAX_TEXT_CHARS = 100_000  # keywords come from the beginning; jieba cuts ~150k chars/s
_HAN = re.compile(f"[{analyzers.HAN}]")
_LETTER = re.compile(r"[^\W\d_]")
Scored = list[tuple[str, float]]


def extract(title: str, text: str, limit: int = 20) -> Scored:
    """Up to `limit` keywords with scores (the best is 1.0), best first."""
    text = text[:MAX_TEXT_CHARS]
    han = _han_share(f"{title} {text}")
    found: dict[str, float] = {}
    if han > 0:
        _merge(found, _chinese(title, text, limit), han)
    if han < 1:
        _merge(found, _latin(title, text, limit), 1 - han)
    ranked = sorted(found.items(), key=lambda item: -item[1])[:limit]
    top = ranked[0][1] if ranked else 1.0
    return [(word, score / top) for word, score in ranked]


def _han_share(text: str) -> float:
    letters = len(_LETTER.findall(text))
    return len(_HAN.findall(text)) / letters if letters else 0.0


def _merge(found: dict[str, float], scored: Scored, share: float) -> None:
    top = max((score for _, score in scored), default=1.0)
    for word, score in scored:
        found[word] = max(found.get(word, 0.0), share * score / top)


def _chinese(title: str, text: str, limit: int) -> Scored:
    text = f"{title}\n{title}\n{text}"
    pairs = _extractor().extract_tags(text, topK=limit * 2, withWeight=True)
    kept = [(w, s) for w, s in pairs if _HAN.search(w) and len(w) > 1 and not is_stopword(w)]
    return kept[:limit]


@cache
def _extractor() -> "jieba.analyse.TFIDF":
    with warnings.catch_warnings():
        # jieba.analyse loads jieba.posseg, whose regular expressions Python 3.12 deprecates.
        warnings.simplefilter("ignore", DeprecationWarning)
        warnings.simplefilter("ignore", SyntaxWarning)
        import jieba.analyse

    extractor = jieba.analyse.TFIDF()
    extractor.tokenizer = analyzers.tokenizer()
    return extractor


def _latin(title: str, text: str, limit: int) -> Scored:
    tokens = [t for t in corpus.analyze(f"{title}\n{text}") if _is_word(t)]
    if not tokens:
        return []
    counts = Counter(tokens)
    first: dict[str, int] = {}
    for position, token in enumerate(tokens):
        first.setdefault(token, position)
    frequencies, size = corpus.frequencies(sorted(counts)), max(corpus.size(), 1)
    scores = {
        token: count
        * (math.log((size + 1) / (frequencies.get(token, 0) + 1)) + 1)
        * (1 + POSITION_BONUS * (1 - first[token] / len(tokens)))
        for token, count in counts.items()
    }
    return sorted(scores.items(), key=lambda item: -item[1])[:limit]


def _is_word(token: str) -> bool:
    return (
        len(token) > 1
        and not _HAN.search(token)
        and not token.isdigit()
        and _LETTER.search(token) is not None
        and not is_stopword(token)
    )
