"""Extraction quality over the shared corpus: prints JSON figures per corpus.

Usage: ``.venv/bin/python bench/extract_quality.py [--every N] [--workers 2] [--candidates]``

Also the publish date and author of Chinese pages (``tests/data/zh-metadata``, split by site
into a tuning and a reporting part; only the report part is printed, under "zh-metadata",
beside htmldate's date and trafilatura's author alone as baselines).

Also main text on English pages with reader comments (``tests/data/en-comments``, dragnet's
pages whose ground truth keeps comments apart; split by site, only the report part printed,
under "en-comments", beside readability-lxml and trafilatura run alone on the same pages).

The pages, the scoring and the figures are ``linkhome/testing/extract_quality.py``, which the
quality gates in ``tests/`` import too; this script only parses options and prints.
"""

from __future__ import annotations

import argparse
import json
import logging
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:  # run as a script from anywhere
    sys.path.insert(0, str(ROOT))

from linkhome.testing.extract_quality import en_comments_run, run, zh_run  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--every", type=int, default=1, help="use every N-th page")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--candidates", action="store_true", help="also score each extractor")
    parser.add_argument(
        "--zh-split",
        choices=("report", "tune"),
        help="only the Chinese date/author figures, over this split",
    )
    parser.add_argument(
        "--en-comments-split",
        choices=("report", "tune"),
        help="only the English pages-with-comments figures, over this split",
    )
    args = parser.parse_args()
    logging.disable(logging.WARNING)  # extractors log every page they find nothing in
    if args.en_comments_split:
        figures = en_comments_run(args.en_comments_split, args.workers)
        print(json.dumps({"en-comments": figures}, indent=2))
    elif args.zh_split:
        print(json.dumps({"zh-metadata": zh_run(args.zh_split, args.workers)}, indent=2))
    else:
        print(json.dumps(run(args.every, args.workers, args.candidates), indent=2))


if __name__ == "__main__":
    main()
