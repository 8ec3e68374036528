"""What odd pages cost the extractor: deep nesting, the depth check on ordinary pages.

Prints one JSON object and asserts nothing. No Django database; bounded: a few pages.

    PYTHONPATH=. DJANGO_SETTINGS_MODULE=tests.django_settings python bench/hostile_pages.py

- `depth_check_ms`: what the "did libxml2 stop at its depth limit?" check adds to each
  ordinary page (mean over up to 200 corpus pages).
- `deep`: extraction time and whether the deepest text was kept, for pages of 1,000 words
  nested N levels deep, against the same elements as siblings (what flattening makes).
"""

import json
import logging
import time

import django

django.setup()

from trafilatura import load_html  # noqa: E402

from linkhome.capture.steps.extract import extract  # noqa: E402
from linkhome.lib.html_depth import DEFAULT_LIMIT_REACHED, reaches_depth  # noqa: E402
from linkhome.testing.corpus import corpus_bytes, corpus_dir  # noqa: E402

WORDS = "Deeply nested words survive the parser. " * 25


def depth_check_ms(limit: int = 200) -> float | None:
    pages = sorted(corpus_dir().glob("mozilla-readability/test-pages/*/source.html.gz"))
    spent, count = 0.0, 0
    for path in pages[:limit]:
        relative = str(path.relative_to(corpus_dir()))
        tree = load_html(corpus_bytes(relative).decode("utf-8", "replace"))
        if tree is None:
            continue
        started = time.perf_counter()
        reaches_depth(tree, DEFAULT_LIMIT_REACHED)
        spent += time.perf_counter() - started
        count += 1
    return round(spent / count * 1000, 3) if count else None


def timed(html: str) -> tuple[float, bool]:
    started = time.perf_counter()
    found = extract(html, "https://example.com/")
    return round(time.perf_counter() - started, 3), "Deeply" in found.text


def deep(depth: int) -> dict:
    nested = "<div>" * depth + f"<p>{WORDS}</p>" + "</div>" * depth
    siblings = "<div></div>" * depth + f"<p>{WORDS}</p>"
    page = "<html><body><h1>Deep</h1>{}</body></html>"
    nested_s, kept = timed(page.format(nested))
    siblings_s, _ = timed(page.format(siblings))
    return {"depth": depth, "nested_s": nested_s, "kept": kept, "siblings_s": siblings_s}


if __name__ == "__main__":
    logging.disable(logging.WARNING)
    print(
        json.dumps(
            {
                "depth_check_ms": depth_check_ms(),
                "deep": [deep(n) for n in (250, 300, 1000, 5000, 20000)],
            }
        )
    )
