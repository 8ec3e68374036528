"""A page's distinctive terms as a sparse TF-IDF unit vector, and cosine between two.

Weighting, chosen on the topic corpora (thucnews, bbc, kpcrowd; bench/recommend_quality.py):
sublinear term frequency (1 + ln tf) times smoothed IDF, each word of the title counted as
two more occurrences, one-character tokens, numbers and English function words left out, and terms no
other indexed page has left out too (they cannot match anything, yet they would shrink the
weights of the rest). The vector is normalised over all its terms, then cut to the strongest
MAX_TERMS, so a cosine between two cut vectors stays close to the full one.
"""

import heapq
import math
from collections import Counter
from collections.abc import Iterable, Mapping

from linkhome.recommend.stopwords import is_stopword

MAX_TERMS = 160  # 200 scored 0.01 higher on kpcrowd; 160 keeps a profile near 2 KB
TITLE_COUNT = 2  # extra occurrences for a word of the title
SCALE = 10_000  # weights are stored as integers: a unit vector's weight x SCALE
Vector = Mapping[str, int]


def useful(token: str) -> bool:
    return len(token) > 1 and not token.isdigit() and not is_stopword(token)


def term_counts(title: Iterable[str], body: Iterable[str]) -> Counter[str]:
    counts = Counter(t for t in body if useful(t))
    for token in title:
        if useful(token):
            counts[token] += TITLE_COUNT
    return counts


def idf(frequency: int, size: int) -> float:
    return math.log((size + 1) / (frequency + 1)) + 1


def weigh(counts: Mapping[str, int], frequencies: Mapping[str, int], size: int) -> dict[str, int]:
    """The unit TF-IDF vector of these counts, cut to its MAX_TERMS strongest terms."""
    weights = {
        term: (1 + math.log(count)) * idf(frequencies.get(term, 0), size)
        for term, count in counts.items()
        if frequencies.get(term, 0) >= 2  # another page has it too
    }
    norm = math.sqrt(sum(w * w for w in weights.values()))
    strongest = heapq.nlargest(MAX_TERMS, weights.items(), key=lambda item: item[1])
    return {term: max(1, round(SCALE * w / norm)) for term, w in strongest}


def cosine(a: Vector, b: Vector) -> float:
    # The shared terms are found by a set intersection in C: two pages share a few dozen
    # of their 160 terms, so the Python loop runs over those only.
    return sum(a[t] * b[t] for t in a.keys() & b.keys()) / (SCALE * SCALE)


def strongest(vector: Vector, count: int) -> dict[str, int]:
    return dict(heapq.nlargest(count, vector.items(), key=lambda item: item[1]))
