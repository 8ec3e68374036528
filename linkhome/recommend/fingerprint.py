"""Near-duplicate texts: a MinHash sketch of each page's word 3-shingles (Broder 1997).

The sketch keeps the SKETCH smallest 64-bit hashes of the shingles (the bottom-k variant: one
hash function instead of k, so a page costs one hash per shingle); two sketches estimate
the Jaccard resemblance of the two shingle sets. Copies of one article kept from two sites
share most shingles (one site's extraction keeps a caption or a byline the other drops);
different articles on the same subject share almost none, since three words in a row are
rarely the same by chance.

Why not simhash: on the topic corpora one word changed in a 24-word text moved a 64-bit
simhash by 9-11 bits, and a copy with a tenth of its text replaced by 8 (median), while
pairs of different articles came as close as 8: no threshold separates them. The sketch
gives such a copy a resemblance near 0.7 and different articles near 0. Hand-written: the
library for it (datasketch) needs numpy and scipy for what are these few lines.
"""

import hashlib
import heapq
import struct
from collections.abc import Sequence

SKETCH = 64
SHINGLE = 3
# Resemblance from which a candidate is a copy of the page: a tenth of a copy replaced
# scores ~0.67, a different article on the same subject under 0.05.
NEAR_DUPLICATE = 0.5


def sketch(tokens: Sequence[str]) -> bytes:
    """The SKETCH smallest shingle hashes, sorted, 8 bytes each (b"" for no text)."""
    hashes = {_hash(shingle) for shingle in _shingles(tokens)}
    smallest = heapq.nsmallest(SKETCH, hashes)
    return struct.pack(f">{len(smallest)}Q", *smallest)


def _hash(shingle: str) -> int:
    return int.from_bytes(hashlib.blake2b(shingle.encode(), digest_size=8).digest())


def _shingles(tokens: Sequence[str]) -> list[str]:
    if len(tokens) < SHINGLE:
        return [" ".join(tokens)] if tokens else []
    return [" ".join(tokens[i : i + SHINGLE]) for i in range(len(tokens) - SHINGLE + 1)]


def hashes(packed: bytes | memoryview) -> frozenset[int]:
    data = bytes(packed)
    return frozenset(struct.unpack(f">{len(data) // 8}Q", data))


def resemblance(a: frozenset[int], b: frozenset[int]) -> float:
    """Estimated Jaccard resemblance of the two pages' shingle sets: the share of the union's
    smallest hashes that both sketches hold."""
    if not a or not b:
        return 0.0  # a page without text is no copy of anything
    union = heapq.nsmallest(min(SKETCH, len(a | b)), a | b)
    return sum(1 for h in union if h in a and h in b) / len(union)


def near_duplicates(a: frozenset[int], b: frozenset[int]) -> bool:
    # The estimate counts shared hashes only, so too few shared ones settle it at once (the
    # common case: a page's candidates share none).
    if len(a & b) < NEAR_DUPLICATE * min(SKETCH, len(a), len(b)):
        return False
    return resemblance(a, b) >= NEAR_DUPLICATE
