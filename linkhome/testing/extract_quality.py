"""Extraction quality over the shared corpus: the pages, the scoring and the figures per
corpus, for ``bench/extract_quality.py`` (which prints them as JSON) and the quality gates in
``tests/`` (test_extract_quality, test_extract_comments, test_extract_zh_metadata).

Also the publish date and author of Chinese pages (``tests/data/zh-metadata``, split by site
into a tuning and a reporting part; only the report part is printed, under "zh-metadata",
beside htmldate's date and trafilatura's author alone as baselines).

Also main text on English pages with reader comments (``tests/data/en-comments``, dragnet's
pages whose ground truth keeps comments apart; split by site, only the report part printed,
under "en-comments", beside readability-lxml and trafilatura run alone on the same pages).

Main text is scored with the corpus README's rule (``linkhome.lib.text_score``) and
macro-averaged per corpus; metadata (title, byline, date) against mozilla-readability's
``expected-metadata.json``. An importable module, so process-pool workers unpickle its
functions and dataclasses by name.
"""

from __future__ import annotations

import gzip
import json
import re
import statistics
import time
from collections.abc import Iterator
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from lxml import html as lxml_html

from linkhome.capture.steps.decode import decode_document
from linkhome.capture.steps.extract import Extracted, extract
from linkhome.capture.steps.extract.htmltext import html_to_text
from linkhome.lib.text_score import is_cjk, score, tokenize
from linkhome.testing.corpus import corpus_bytes, corpus_dir

ROOT = Path(__file__).resolve().parents[2]  # the repository: its tests/data sets

ZH_DIR = ROOT / "tests" / "data" / "zh-metadata"
EN_COMMENTS_DIR = ROOT / "tests" / "data" / "en-comments"
COMMENTS_MARK = "!@#$%^&*()  COMMENTS"  # dragnet's line between article and comments
MOZILLA_URL = "http://fakehost/test/page.html"  # the address Readability.js tests use
CORPORA = ("aeb", "magic-article", "magic-forum", "mozilla")


@dataclass
class Page:
    corpus: str
    id: str
    url: str
    html: str
    truth: str
    meta: dict = field(default_factory=dict)


def _read(path: Path) -> str:
    # The project's decode step: some pages declare a charset their bytes are not in.
    return decode_document(corpus_bytes(str(path.relative_to(corpus_dir())))).text


def _manifest(folder: Path) -> list[dict[str, str]]:
    lines = (folder / "manifest.tsv").read_text(encoding="utf-8").splitlines()
    head = lines[0].split("\t")
    return [dict(zip(head, line.split("\t"), strict=False)) for line in lines[1:] if line]


def _aeb_pages() -> Iterator[Page]:
    folder = corpus_dir() / "scrapinghub-aeb"
    truth = json.loads((folder / "ground-truth.json").read_text(encoding="utf-8"))
    for row in _manifest(folder):
        gt = truth[row["id"]]
        yield Page("aeb", row["id"], gt["url"], _read(folder / row["file"]), gt["articleBody"])


def _magic_pages(kind: str) -> Iterator[Page]:
    folder = corpus_dir() / "magic-html-bench"
    truth = json.loads((folder / kind / "base.json").read_text(encoding="utf-8"))
    for row in _manifest(folder):
        if row["kind"] == kind:
            gt = truth[row["id"]]
            html = _read(folder / row["file"])
            yield Page(f"magic-{kind}", row["id"], gt["url"], html, gt["content"])


def _mozilla_pages() -> Iterator[Page]:
    folder = corpus_dir() / "mozilla-readability"
    for row in _manifest(folder):
        page_dir = (folder / row["file"]).parent
        expected = (page_dir / "expected.html").read_text(encoding="utf-8")
        truth = html_to_text(lxml_html.fromstring(expected)) if expected.strip() else ""
        meta = json.loads((page_dir / "expected-metadata.json").read_text(encoding="utf-8"))
        yield Page("mozilla", row["id"], MOZILLA_URL, _read(folder / row["file"]), truth, meta)


def load_pages(corpus: str) -> Iterator[Page]:
    """Pages of one corpus (see ``CORPORA``) with text ground truth or metadata to check."""
    loaders = {
        "aeb": _aeb_pages,
        "magic-article": lambda: _magic_pages("article"),
        "magic-forum": lambda: _magic_pages("forum"),
        "mozilla": _mozilla_pages,
    }
    return (p for p in loaders[corpus]() if tokenize(p.truth) or p.meta)


def subset(pages: list[Page], every: int) -> list[Page]:
    """Every ``every``-th page (a fixed, representative sample); all pages for 1."""
    return pages[::every]


# --- evaluation -----------------------------------------------------------------------

TITLE_F1 = 0.8  # a title or byline counts as right at this token F1 or above


def _close(predicted: str | None, expected: str) -> bool:
    return score(" ".join((predicted or "").split()), " ".join(expected.split())).f1 >= TITLE_F1


def _same_day(predicted: object, expected: str) -> bool:
    return predicted is not None and str(predicted)[:10] == expected.strip()[:10]


def _metadata_checks(page: Page, got: dict) -> dict[str, bool]:
    """Which of title, byline, date, language match mozilla's expected metadata."""
    exp, checks = page.meta, {}
    if exp.get("title"):
        checks["title"] = _close(got["title"], exp["title"])
    if exp.get("byline"):
        checks["byline"] = _close(got["author"], exp["byline"])
    if exp.get("publishedTime"):
        checks["date"] = _same_day(got["published"], exp["publishedTime"])
    if exp.get("lang"):
        checks["language"] = got["language"] == exp["lang"].split("-")[0].lower()
    return checks


def candidate_texts(page: Page) -> dict[str, str]:
    """Texts of the single extractors, configured as in the corpus README's baselines."""
    import trafilatura
    from readability import Document

    summary = Document(page.html).summary(html_partial=True)
    return {
        "trafilatura": trafilatura.extract(page.html, url=page.url) or "",
        "trafilatura_precision": trafilatura.extract(page.html, url=page.url, favor_precision=True)
        or "",
        "readability": html_to_text(lxml_html.fromstring(summary)) if summary.strip() else "",
    }


def evaluate(page: Page, candidates: bool = False) -> dict:
    """Figures for one page: F1 of the final text (and of candidates), metadata, time."""
    wall, cpu = time.perf_counter(), time.thread_time()
    got: Extracted = extract(page.html, page.url)
    cpu, wall = time.thread_time() - cpu, time.perf_counter() - wall
    texts = {"final": got.text} | (candidate_texts(page) if candidates else {})
    has_truth = bool(tokenize(page.truth))
    return {
        "corpus": page.corpus,
        "cjk": has_truth and is_cjk(page.truth),
        "f1": {k: score(t, page.truth).f1 for k, t in texts.items()} if has_truth else {},
        "method": got.method,
        "meta": _metadata_checks(page, got.__dict__) if page.corpus == "mozilla" else {},
        "ms_cpu": 1000 * cpu,
        "ms_wall": 1000 * wall,
    }


def _groups(result: dict) -> list[str]:
    groups = [result["corpus"]]
    if result["corpus"].startswith("magic"):
        groups += ["magic-all"] + (["magic-cjk"] if result["cjk"] else [])
    return groups


def summarize(results: list[dict]) -> dict:
    """Macro-averaged F1 per corpus group, metadata accuracy, time per page."""
    by_group: dict[str, list[dict]] = {}
    for r in results:
        if r["f1"]:
            for g in _groups(r):
                by_group.setdefault(g, []).append(r)
    figures: dict = {g: _f1_figures(rs) for g, rs in sorted(by_group.items())}
    figures["mozilla-metadata"] = _meta_figures([r["meta"] for r in results if r["meta"]])
    figures["time"] = _time_figures(results)
    return figures


def _f1_figures(results: list[dict]) -> dict:
    names = results[0]["f1"].keys()
    out: dict = {"pages": len(results)}
    out |= {f"f1_{n}": round(statistics.mean(r["f1"][n] for r in results), 4) for n in names}
    out["readability_share"] = round(
        sum(r["method"] == "readability" for r in results) / len(results), 3
    )
    return out


def _meta_figures(checks: list[dict[str, bool]]) -> dict:
    out = {}
    for field_name in ("title", "byline", "date", "language"):
        hits = [c[field_name] for c in checks if field_name in c]
        out[field_name] = {"pages": len(hits), "accuracy": round(sum(hits) / len(hits), 4)}
    return out


def _time_figures(results: list[dict]) -> dict:
    out: dict[str, object] = {"pages": len(results)}
    for key in ("ms_cpu", "ms_wall"):
        values = sorted(r[key] for r in results)
        out[key] = {
            "median": round(statistics.median(values), 1),
            "mean": round(statistics.mean(values), 1),
            "p90": round(values[int(0.9 * (len(values) - 1))], 1),
        }
    return out


# --- Chinese publish dates and authors ---------------------------------------------------

_AUTHOR_SEPARATORS = re.compile(r"[\s、，,;；/&]+")


@dataclass
class ZhPage:
    id: str
    source: str  # "cwced" or "gne" (see the data's README)
    site: str
    split: str  # "tune" (rules were tuned on it) or "report" (figures are reported on it)
    url: str
    html: str
    date: str  # "YYYY-MM-DD", "" when the page shows none to the day
    author: str  # names separated by spaces; "" the page names no one; "?" not scored


def zh_pages(split: str | None = None) -> list[ZhPage]:
    """The Chinese pages with date/author ground truth; one split, or all for None."""
    pages = []
    for row in _manifest(ZH_DIR):
        if split is None or row["split"] == split:
            body = gzip.decompress((ZH_DIR / row["file"]).read_bytes())
            html = decode_document(body).text
            fields = (row["id"], row["source"], row["site"], row["split"], row["url"], html)
            pages.append(ZhPage(*fields, row["date"], row["author"]))
    return pages


def same_author(predicted: str | None, expected: str) -> bool:
    """Exact match of the names, whatever separates them ("张三、李四" is "张三 李四")."""

    def names(text: str | None) -> str:
        return " ".join(_AUTHOR_SEPARATORS.split((text or "").strip())).strip()

    return bool(expected) and names(predicted) == names(expected)


def zh_evaluate(page: ZhPage, baselines: bool = True) -> dict:
    """LinkHome's date and author for one page, and (unless ``baselines`` is false: the
    quality gate asserts only LinkHome's figures) the single-library baselines."""
    got = extract(page.html, page.url)
    scored = page.author != "?"
    result = {
        "source": page.source,
        "split": page.split,
        "has_date": bool(page.date),
        "has_author": scored and bool(page.author),
        "anonymous": scored and not page.author,
        "date": _same_day(got.published, page.date) if page.date else None,
        "author": same_author(got.author, page.author) if page.author else not got.author,
    }
    return result | (_zh_baselines(page, scored) if baselines else {})


def _zh_baselines(page: ZhPage, scored: bool) -> dict:
    import htmldate
    import trafilatura

    try:
        baseline_date = htmldate.find_date(page.html, url=page.url or None)
    except Exception:  # a baseline that fails on a page scores it wrong
        baseline_date = None
    traf = trafilatura.extract_metadata(page.html, page.url or None)
    return {
        "htmldate": _same_day(baseline_date, page.date) if page.date else None,
        "trafilatura_author": same_author(traf.author if traf else "", page.author)
        if scored and page.author
        else None,
    }


def zh_summarize(results: list[dict]) -> dict:
    """Accuracy of dates (to the day) and authors over the pages that have them; over all
    sources, then per source."""
    sources = sorted({r["source"] for r in results})
    by_source = {s: _zh_figures([r for r in results if r["source"] == s]) for s in sources}
    return _zh_figures(results) | {"by_source": by_source}


def _zh_figures(results: list[dict]) -> dict:
    dated = [r for r in results if r["has_date"]]
    named = [r for r in results if r["has_author"]]
    anonymous = [r for r in results if r["anonymous"]]

    def share(rows: list[dict], key: str) -> float:
        return round(sum(bool(r[key]) for r in rows) / len(rows), 4) if rows else 0.0

    figures = {
        "pages": len(results),
        "date": {"pages": len(dated), "accuracy": share(dated, "date")},
        "author": {"pages": len(named), "accuracy": share(named, "author")},
        # pages that name no author: the share where none was invented
        "no_author_kept_empty": {"pages": len(anonymous), "accuracy": share(anonymous, "author")},
    }
    if results and "htmldate" in results[0]:  # evaluated with the baselines
        figures["date_htmldate"] = {"pages": len(dated), "accuracy": share(dated, "htmldate")}
        figures["author_trafilatura"] = {
            "pages": len(named),
            "accuracy": share(named, "trafilatura_author"),
        }
    return figures


def zh_run(split: str = "report", workers: int = 2) -> dict:
    """Figures over one split of the Chinese date/author pages."""
    with ProcessPoolExecutor(workers) as pool:
        results = list(pool.map(zh_evaluate, zh_pages(split), chunksize=4))
    return zh_summarize(results)


# --- English pages with reader comments ----------------------------------------------------


def en_comments_pages(split: str | None = None) -> list[Page]:
    """Pages of ``tests/data/en-comments`` (one split, or all for None); truth is the article
    alone, the text above dragnet's comments line."""
    pages = []
    for row in _manifest(EN_COMMENTS_DIR):
        if split is None or row["split"] == split:
            body = gzip.decompress((EN_COMMENTS_DIR / row["file"]).read_bytes())
            gold = (EN_COMMENTS_DIR / row["truth"]).read_text(encoding="utf-8", errors="replace")
            truth = gold.partition(COMMENTS_MARK)[0]
            pages.append(Page("en-comments", row["id"], "", decode_document(body).text, truth))
    return pages


def en_comments_run(split: str = "report", workers: int = 2, candidates: bool = True) -> dict:
    """Main-text F1 over one split of the English pages with comments (and the baselines)."""
    pages = en_comments_pages(split)
    with ProcessPoolExecutor(workers) as pool:
        results = list(pool.map(_evaluate_star, [(p, candidates) for p in pages], chunksize=4))
    return _f1_figures(results) | {"split": split}


def run(
    every: int = 1,
    workers: int = 2,
    candidates: bool = False,
    en_comments: bool = True,
    zh_metadata: bool = True,
) -> dict:
    """Evaluate every ``every``-th page of each corpus in ``workers`` processes (and the
    report split of the English pages with comments, with its baselines, if ``en_comments``;
    the Chinese date/author pages if ``zh_metadata``)."""
    pages = [p for c in CORPORA for p in subset(list(load_pages(c)), every)]
    with ProcessPoolExecutor(workers) as pool:
        results = list(pool.map(_evaluate_star, [(p, candidates) for p in pages], chunksize=4))
    figures = summarize(results)
    if zh_metadata:
        figures["zh-metadata"] = zh_run("report", workers)
    if en_comments:
        figures["en-comments"] = en_comments_run("report", workers, candidates=True)
    return figures


def _evaluate_star(args: tuple[Page, bool]) -> dict:
    return evaluate(*args)
