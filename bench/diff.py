"""How long "what changed" takes on long pages (linkhome.history.textdiff.compare_texts).

Texts come from the shared corpus: the longest Chinese article of magic-html-bench (its
hand-made main text, 39k characters), thucnews articles joined into pages of 300k and
1M characters, and the longest English article of the same benchmark. Each is compared with
itself, with a copy edited the way pages are edited (a few words changed in 1 paragraph in
20, 2 paragraphs added, 1 removed), and with a different page of the same size (a
rewrite). jieba's dictionary is loaded before timing. Prints one JSON object; asserts nothing.
Usage: python bench/diff.py [--rounds 3]
"""

import argparse
import json
import os
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
SEED = 15


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    os.environ.setdefault("LINKHOME_DATA_DIR", tempfile.mkdtemp(prefix="linkhome-bench-diff-"))
    from linkhome.bootstrap import setup_django

    setup_django()
    from linkhome.history.textdiff import compare_texts
    from linkhome.search.analyzers import tokenizer

    tokenizer()  # jieba's dictionary: loaded once per process, not part of a comparison
    results = []
    for name, text, other in pages():
        for case, b in (("same", text), ("edited", edited(text)), ("rewritten", other)):
            times, diff = [], None
            for _ in range(args.rounds):
                start = time.perf_counter()
                diff = compare_texts(text, b)
                times.append(time.perf_counter() - start)
            results.append(
                {
                    "page": name,
                    "chars": len(text),
                    "case": case,
                    "seconds_median": round(statistics.median(times), 3),
                    "seconds_max": round(max(times), 3),
                    "added": diff.added,
                    "removed": diff.removed,
                    "ratio": diff.ratio,
                    "hunks": len(diff.hunks),
                    "paragraph_detail_hunks": sum(h.detail != "words" for h in diff.hunks),
                }
            )
            print(json.dumps(results[-1], ensure_ascii=False), file=sys.stderr)
    print(json.dumps({"diff": results}, ensure_ascii=False, indent=1))


def pages() -> list[tuple[str, str, str]]:
    from linkhome.testing.corpus import corpus_dir, magic_truth

    truth = magic_truth("article")
    by_length = sorted(truth.values(), key=len)
    zh = [t for t in by_length if sum("\u4e00" <= c <= "\u9fff" for c in t[:500]) > 100]
    en = [t for t in by_length if sum("\u4e00" <= c <= "\u9fff" for c in t) == 0]
    lines = (corpus_dir() / "topics-zh" / "thucnews.jsonl").read_text("utf-8").splitlines()
    articles = [json.loads(line)["text"] for line in lines]
    random.Random(SEED).shuffle(articles)
    return [
        ("zh article (magic-html-bench, longest)", zh[-1], zh[-2]),
        ("en article (magic-html-bench, longest)", en[-1], en[-2]),
        ("zh 300k (thucnews joined)", joined(articles, 300_000, 0), joined(articles, 300_000, 1)),
        (
            "zh 480k (thucnews joined, all of it)",
            joined(articles, 480_000, 0),
            joined(articles, 480_000, 1),
        ),
    ]


def joined(articles: list[str], size: int, start: int) -> str:
    """Articles from `start`, every other one, as paragraphs (split at 。), to `size` chars."""
    out: list[str] = []
    total = 0
    for article in articles[start::2]:
        for para in article.replace("。", "。\n").split("\n"):
            out.append(para)
            total += len(para) + 1
        if total >= size:
            break
    return "\n".join(out)[:size]


def edited(text: str) -> str:
    """A few words changed in 1 paragraph in 20, two paragraphs added, one removed."""
    rng = random.Random(SEED)
    paras = [p for p in text.split("\n") if p.strip()]
    for index in range(0, len(paras), 20):
        p = paras[index]
        if len(p) > 10:
            cut = rng.randrange(0, len(p) - 4)
            paras[index] = p[:cut] + "据最新消息更新" + p[cut + 4 :]
    paras.insert(len(paras) // 3, "编者按：本文于发布后有所修改，新增了这一段说明。")
    paras.insert(2 * len(paras) // 3, "Update: this paragraph was added after publication.")
    del paras[len(paras) // 2]
    return "\n".join(paras)


if __name__ == "__main__":
    main()
