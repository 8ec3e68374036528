"""Bag-of-tokens scoring of extracted text, the rule of the shared corpus README.

1. NFKC-normalise and lower-case.
2. Each Han ideograph or Japanese kana is one token (so Chinese needs no segmenter);
   every other run of letters and digits is one token; punctuation is dropped.
3. Precision, recall and F1 over token multisets. Empty prediction scores 0.
4. A page is CJK when Han or kana make up 20 % or more of its ground-truth tokens.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from dataclasses import dataclass

# Han: CJK unified ideographs (+ extensions A..), compatibility ideographs;
# kana: hiragana, katakana, katakana phonetic extensions, kana supplement blocks.
_HAN = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003134f"
_KANA = "\u3040-\u309f\u30a0-\u30ff\u31f0-\u31ff\U0001b000-\U0001b16f"
_CJK_CHAR = f"[{_HAN}{_KANA}]"
_TOKEN_RE = re.compile(f"{_CJK_CHAR}|[^\\W_{_HAN}{_KANA}]+")
_CJK_RE = re.compile(_CJK_CHAR)

CJK_SHARE = 0.2


@dataclass(frozen=True)
class Score:
    precision: float
    recall: float
    f1: float


def tokenize(text: str) -> list[str]:
    """Tokens of ``text`` under the corpus rule."""
    return _TOKEN_RE.findall(unicodedata.normalize("NFKC", text).lower())


def is_cjk_token(token: str) -> bool:
    return len(token) == 1 and _CJK_RE.match(token) is not None


def cjk_share(tokens: list[str]) -> float:
    """Share of Han/kana tokens; 0.0 for no tokens."""
    if not tokens:
        return 0.0
    return sum(1 for t in tokens if is_cjk_token(t)) / len(tokens)


def is_cjk(text: str) -> bool:
    """The README's rule: Han or kana make up >= 20 % of the tokens."""
    return cjk_share(tokenize(text)) >= CJK_SHARE


def score(predicted: str, truth: str) -> Score:
    """Multiset precision/recall/F1 of ``predicted`` against ``truth``."""
    pred, gold = Counter(tokenize(predicted)), Counter(tokenize(truth))
    n_pred, n_gold = sum(pred.values()), sum(gold.values())
    if not n_pred or not n_gold:
        return Score(0.0, 0.0, 0.0)
    common = sum((pred & gold).values())
    p, r = common / n_pred, common / n_gold
    return Score(p, r, 2 * p * r / (p + r) if common else 0.0)
