"""How the title rule (``capture/steps/extract/title.py``) does on the corpus: for
``bench/title_quality.py`` and the gate in ``tests/test_title_quality.py``.

Each page's title as the rule gives it is compared with the *full* title it started from
(the page's meta title, else its ``<title>``, spaces folded):

- **against a ground truth**: ``tests/data/title-truth/labels.tsv`` holds, for every page of
  mozilla-readability, magic-html's articles and scrapinghub-aeb where the rule before this
  work or the current one cut something, the page's title as a reader names it (the site
  name and channel left out; where it is unclear what is the site, the full title). A title
  is *improved* when the cut brought it closer to that truth (token F1, the corpus README's
  tokens), *damaged* when the cut took it further; a page the rule cuts that has no label is
  counted apart (``unlabelled``), so a new cut cannot hide. The pages are split by site into
  a ``tune`` and a ``report`` part; the rule was tuned on the first.
- mozilla-readability's own ``expected-metadata.json`` titles (Readability.js's output,
  which keeps a site suffix when the page's og:title has one): exact matches, for reference.
- **cuts inside a word**: the rule dropped a part at a separator glued to letters or digits
  on both sides ("…ignore_errors…" cut to "…ignore").
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from lxml import html as lxml_html

from linkhome.capture.steps.extract import metadata as extract_metadata
from linkhome.capture.steps.extract import title as title_rule
from linkhome.lib.text_score import score
from linkhome.testing.extract_quality import Page, load_pages

SPLITS = ("tune", "report")
LABELS = Path(__file__).resolve().parents[2] / "tests" / "data" / "title-truth" / "labels.tsv"
TitleRule = Callable[..., str]  # (tree, meta, site_name, url) -> title


@dataclass(frozen=True)
class TitleCase:
    corpus: str
    id: str
    full: str
    got: str
    truth: str  # mozilla-readability's title; "" elsewhere
    label: str | None  # the hand label (labels.tsv); None where the page has none
    site: str  # what the split goes by: the host, or mozilla's page name without its number


def site_of(page: Page) -> str:
    if page.corpus == "mozilla":  # every page says http://fakehost/: "nytimes-1" → nytimes
        return re.sub(r"[-_]?\d+$", "", page.id) or page.id
    host = (urlsplit(page.url).hostname or page.id).removeprefix("www.")
    return host


def split_of(site: str) -> str:
    """tune or report, by site: two pages of one site fall on the same side."""
    return SPLITS[hashlib.sha256(site.encode()).digest()[0] % 2]


def labels() -> dict[tuple[str, str], str]:
    lines = LABELS.read_text(encoding="utf-8").splitlines()[1:]
    rows = [line.split("\t") for line in lines if line]
    return {(corpus, page_id): title for corpus, page_id, _full, title in rows}


def full_title(tree: lxml_html.HtmlElement, meta: dict[str, str]) -> str:
    """The title before any cut: the first meta title the rule reads, else ``<title>``."""
    for key in title_rule.META_TITLE_KEYS:
        if meta.get(key, "").strip():
            return title_rule.clean(meta[key])
    return title_rule.clean(tree.findtext(".//title") or "")


def title_case(page: Page, rule: TitleRule, labelled: dict) -> TitleCase | None:
    try:
        tree = lxml_html.fromstring(page.html)
    except Exception:  # an empty or unparsable page has no title to measure
        return None
    meta = extract_metadata.meta_tags(tree)
    site_name = next((meta[k] for k in extract_metadata.SITE_KEYS if meta.get(k)), "")
    full = full_title(tree, meta)
    if not full:
        return None
    got = rule(tree, meta, site_name.lstrip("@"), page.url)
    truth = (page.meta or {}).get("title", "")
    label = labelled.get((page.corpus, page.id))
    return TitleCase(page.corpus, page.id, full, got, truth, label, site_of(page))


def current_rule(tree: lxml_html.HtmlElement, meta: dict, site_name: str, url: str) -> str:
    return title_rule.find_title(tree, meta, site_name, url)


def cases(corpora: Iterable[str], rule: TitleRule = current_rule) -> Iterator[TitleCase]:
    labelled = labels()
    for corpus in corpora:
        for page in load_pages(corpus):
            found = title_case(page, rule, labelled)
            if found is not None:
                yield found


def _f1(text: str, truth: str) -> float:
    return score(text, title_rule.clean(truth)).f1


def verdict(case: TitleCase) -> str:
    """improved, damaged, same (cut, no closer or further), uncut, or unlabelled (cut, and
    the page has no label), against the hand label."""
    if case.got == case.full:
        return "uncut"
    if case.label is None:
        return "unlabelled"
    before, after = _f1(case.full, case.label), _f1(case.got, case.label)
    return "improved" if after > before else "damaged" if after < before else "same"


_GLUED = re.compile(r"[A-Za-z0-9]")


def cut_inside_a_word(case: TitleCase) -> bool:
    """The rule kept a part of the full title that ends (or starts) where a separator glued
    to letters or digits on both sides was: "shutil: If ignore" from "…ignore_errors…"."""
    if case.got == case.full or case.got not in case.full:
        return False
    start = case.full.index(case.got)
    end = start + len(case.got)
    return _glued_cut(case.full, end, +1) or _glued_cut(case.full, start, -1)


def _glued_cut(full: str, at: int, step: int) -> bool:
    """Whether the cut at ``at`` (going on in direction ``step``) splits letters or digits
    joined by punctuation without a space: the kept side's last character and the first
    one past the separator are both letters or digits, with no space between."""
    kept = at - 1 if step > 0 else at
    if not (0 <= kept < len(full)) or not _GLUED.match(full[kept]):
        return False
    i = at if step > 0 else at - 1
    while 0 <= i < len(full) and not full[i].isalnum():
        if full[i].isspace():
            return False
        i += step
    return 0 <= i < len(full) and _GLUED.match(full[i]) is not None and i != kept


def truth_figures(all_cases: list[TitleCase], split: str) -> dict:
    chosen = [c for c in all_cases if split_of(c.site) == split]
    counts = dict.fromkeys(("improved", "damaged", "same", "unlabelled", "uncut"), 0)
    for case in chosen:
        counts[verdict(case)] += 1
    return {
        "pages": len(chosen),
        **counts,
        "cut_inside_a_word": sum(map(cut_inside_a_word, chosen)),
    }


def readability_agreement(all_cases: list[TitleCase]) -> dict:
    chosen = [c for c in all_cases if c.truth]
    same = sum(title_rule.clean(c.got) == title_rule.clean(c.truth) for c in chosen)
    return {"pages": len(chosen), "exact": same}


# The cuts issue 14 reported (from a test site of Python and Linux documentation pages; the
# corpus has no title with an identifier in it), as <title>s on a site named by og:site_name.
ISSUE_EXAMPLES = (
    "shutil: If ignore_errors is true, errors resulting from failed removals will be ignored",
    "注册 BUS_NAME 服务",
)


def issue_examples(rule: TitleRule) -> dict:
    cut = []
    for title in ISSUE_EXAMPLES:
        tree = lxml_html.fromstring(f"<html><head><title>{title}</title></head></html>")
        got = rule(tree, {}, "Python", "https://docs.example.org/a")
        case = TitleCase("issue", title, title, got, "", title, "issue")
        cut += [got] if cut_inside_a_word(case) else []
    return {"titles": len(ISSUE_EXAMPLES), "cut_inside_a_word": len(cut), "cut_to": cut}


def run(rule: TitleRule = current_rule) -> dict:
    all_cases = list(cases(["mozilla", "magic-article", "aeb"], rule))
    return {
        "issue_examples": issue_examples(rule),
        "labelled_truth": {split: truth_figures(all_cases, split) for split in SPLITS},
        "differs_from_full_title": sum(c.got != c.full for c in all_cases),
        "mozilla_readability_titles": readability_agreement(all_cases),
        "damaged_or_unlabelled": [
            (c.corpus, c.id, c.full, c.got, c.label)
            for c in all_cases
            if verdict(c) in ("damaged", "unlabelled")
        ],
    }
