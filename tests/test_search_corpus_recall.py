"""Search recall on real Chinese pages: every Chinese page of the corpus is found by a word of
two characters and a word of four characters taken from its own text.

Documents: every Chinese page of the corpus, that is the 76 magic-html-bench pages (53
articles, 23 forum pages) and the 4 Chinese mozilla-readability pages (one in traditional
characters), by their ground-truth text, plus every second THUCNews article (479 of 957),
all indexed through the product's own path (a kept link whose capture finished with that
text); and 10 magic-html articles re-encoded as GBK pages and captured end to end by the real
pipeline. For each page, a word of two characters and a word of four, drawn at random
(seeded) from its own text as jieba cuts it, must each find it. (All 957 THUCNews articles
with two words of each length pass too; that run takes a minute here.)
"""

import functools
import gzip
import json
import random
from itertools import islice

import lxml.html
import pytest
from django.test import override_settings

from linkhome.archive.services import finish
from linkhome.links.services import add_link
from linkhome.search import analyzers, api
from linkhome.search.indexing import index_links
from linkhome.testing.corpus import as_gb2312_page, corpus_dir, magic_rows, magic_truth
from linkhome.worker.sequence import capture_and_follow, step

pytestmark = [
    pytest.mark.corpus,
    pytest.mark.skipif(not (corpus_dir() / "topics-zh").is_dir(), reason="no corpus"),
]
WORDS_EACH = 1
THUCNEWS_EVERY = 2  # half the articles (479, ~48 a topic): all 957 take 40 s on a small machine
READABILITY_ZH = ("gmw", "pixnet", "qq", "youth")
GBK_SAMPLE = 10  # end-to-end captures cost ~0.3 s each; all 53 run in test_it_reads_gbk_…


def chinese_pages() -> dict[str, str]:
    pages = {}
    for kind in ("article", "forum"):
        truth = magic_truth(kind)
        pages |= {f"magic-{r['id'][:12]}": truth[r["id"]] for r in magic_rows(kind, "zh")}
    for name in READABILITY_ZH:
        expected = corpus_dir() / "mozilla-readability" / "test-pages" / name / "expected.html"
        pages[f"readability-{name}"] = lxml.html.fromstring(
            expected.read_text("utf-8")
        ).text_content()
    with open(corpus_dir() / "topics-zh" / "thucnews.jsonl", encoding="utf-8") as lines:
        for line in islice(lines, 0, None, THUCNEWS_EVERY):
            doc = json.loads(line)
            pages[doc["id"]] = f"{doc['title']}\n{doc['text']}"
    return pages


@functools.cache
def jieba_words(text: str) -> tuple[str, ...]:
    runs = [run.text for run in analyzers.runs(text) if run.han]
    return tuple(w for words in analyzers.cut_runs(runs, search=False) for w in words)


def own_words(text: str, length: int) -> list[str]:
    """The page's words of that length as jieba cuts it. A short page may have no
    4-character word; then what a person would type just as well: a dictionary word inside a
    longer one (人民银行 in 中国人民银行), or two words that stand together (东部 决赛)."""
    words = jieba_words(text)
    found = [w for w in words if len(w) == length]
    if not found and length == 4:
        known = analyzers.tokenizer().FREQ
        found = [
            w[i : i + 4]
            for w in words
            if len(w) > 4
            for i in range(len(w) - 3)
            if known.get(w[i : i + 4])
        ]
        found += [
            "".join(pair) for pair in zip(words, words[1:], strict=False) if len("".join(pair)) == 4
        ]
    return list(dict.fromkeys(found))


def misses(
    pages: dict[str, int], texts: dict[str, str], scope: dict[str, str]
) -> list[tuple[str, str]]:
    """(page, word) for each page that a word of its own does not find: WORDS_EACH words of
    2 and of 4 characters a page, drawn at random (seeded by the page). `scope` narrows each
    query to the page's own site, so this checks matching, not ranking."""
    missed = []
    for key, snapshot_id in pages.items():
        for length in (2, 4):
            words = own_words(texts[key], length)
            for word in random.Random(f"{key}/{length}").sample(words, min(WORDS_EACH, len(words))):
                hits = api.search(None, f"{word} {scope.get(key, '')}", limit=100, count=False).hits
                if snapshot_id not in [hit.snapshot_id for hit in hits]:
                    missed.append((key, word))
    return missed


def indexed(user, url: str, text: str) -> int:  # noqa: ANN001 - a User
    """testing.factories.kept() up to the index: the link is added, its capture finished with
    this text, and the worker's index step run on it. Not its related lists: ranking them
    after each page (and re-ranking the oldest ones) grows with every page kept, was nine
    tenths of this test's time over 559 pages, and is not what it measures (the recommend
    tests are about it). Returns the snapshot's id."""
    snapshot = add_link(user, url).snapshot
    snapshot.text = text
    finish(snapshot, "succeeded")
    assert step("index", index_links, [snapshot.link_id])
    return snapshot.pk


# Transactional: each page is committed as the worker commits it. Inside one test-long
# transaction, PostgreSQL keeps every version of the shared term counts (search_term) that
# each of the 559 pages updates, and each update wades through them (117 s instead of 57 s
# on a loaded machine).
@pytest.mark.django_db(transaction=True)
def test_every_chinese_page_is_found_by_two_and_four_character_words(owner):
    texts = chinese_pages()
    assert len(texts) == 76 + 4 + 479
    pages = {
        key: indexed(owner, f"https://{key}.corpus.test/", text=text) for key, text in texts.items()
    }
    without_four = [k for k in texts if not own_words(texts[k], 4)]
    assert len(without_four) <= 3, without_four  # nearly every page has a 4-character word
    assert misses(pages, texts, {key: f"site:{key}.corpus.test" for key in pages}) == []


def serve_gbk_articles(http_server) -> dict[str, str]:
    urls = {}
    for row in islice(magic_rows("article", "zh"), GBK_SAMPLE):
        html = gzip.decompress(
            (corpus_dir() / "magic-html-bench" / row["file"]).read_bytes()
        ).decode()
        body = as_gb2312_page(html).encode("gb18030")
        urls[row["id"]] = http_server.route(
            f"/{row['id']}.html", body=body, headers=[("Content-Type", "text/html")]
        )
    return urls


@pytest.mark.django_db(transaction=True)
def test_pages_whose_bytes_were_gbk_are_found_end_to_end(http_server, owner):
    with override_settings(CAPTURE_ASSETS=False):
        served = serve_gbk_articles(http_server).items()
        snapshots = {
            key: capture_and_follow(add_link(owner, url).snapshot.pk) for key, url in served
        }
    assert {s.charset for s in snapshots.values()} == {"gb18030"}
    # Read right, not as mojibake: the captured text has the ground truth's words (most of
    # them: extraction is not perfect).
    truth = magic_truth("article")
    for key, snapshot in snapshots.items():
        expected = set(jieba_words(truth[key]))
        assert len(expected & set(jieba_words(snapshot.text))) >= 0.8 * len(expected), key
    texts = {key: snapshot.text for key, snapshot in snapshots.items()}
    assert misses({k: s.pk for k, s in snapshots.items()}, texts, {}) == []
