"""Related articles and tag suggestions, measured through the product's own path: for
``bench/recommend_quality.py`` (which prints the figures as JSON, whole corpora and at scale)
and ``tests/test_recommend_quality.py`` (the floors over a sample).

Each corpus (topics-zh/thucnews, topics-en/bbc, topics-en/kpcrowd) is wrapped document by
document in a simple HTML page (<title>, <h1>, <p> paragraphs), served from 127.0.0.1, added
with links.services.add_link and captured by the real pipeline (assets off), which indexes
it and computes its profile through the same signals as a worker. Then every document is
the query once (the corpus README's rule):
- related: precision@5/@10 = share of related_snapshots() with the query's topic (missing
  slots count as wrong), with the lists as the captures left them (ranked at each capture,
  offered to older neighbours: recommend.neighbours), and the time of each call (a view);
- tags (kpcrowd): suggest_tags() against the crowd keyphrases, NFKC + lower case + spaces
  collapsed, exact match: precision@N = hits/N, recall@N = hits/|gold|, macro-averaged.
"""

import html
import json
import random
import re
import statistics
import time
import unicodedata

from linkhome.testing.corpus import corpus_dir

FILES = {
    "thucnews": "topics-zh/thucnews.jsonl",
    "bbc": "topics-en/bbc.jsonl",
    "kpcrowd": "topics-en/kpcrowd.jsonl",
}
SEED = 20240611


# --- documents as pages ----------------------------------------------------------------


def documents(name: str, limit: int | None = None) -> list[dict]:
    """The corpus's documents; a fixed random sample of `limit` of them (files are sorted
    by topic, so the first N would be one topic)."""
    with open(corpus_dir() / FILES[name], encoding="utf-8") as lines:
        docs = [json.loads(line) for line in lines]
    return random.Random(SEED).sample(docs, limit) if limit and limit < len(docs) else docs


def paragraphs(text: str) -> list[str]:
    """Newline-separated paragraphs; Chinese text without any is cut every few sentences."""
    lines = [line.strip() for line in text.split("\n") if line.strip()]
    if len(lines) > 1:
        return lines
    sentences = [s for s in re.split(r"(?<=[。！？])", text) if s.strip()]
    return ["".join(sentences[i : i + 3]) for i in range(0, len(sentences), 3)] or [text]


def page(doc: dict) -> bytes:
    parts = paragraphs(doc["text"])
    title = html.escape(doc["title"] or parts[0][:30])
    body = "".join(f"<p>{html.escape(p)}</p>\n" for p in parts)
    return (
        f'<!doctype html><html><head><meta charset="utf-8"><title>{title}</title></head>'
        f"<body><article><h1>{title}</h1>\n{body}</article></body></html>"
    ).encode()


def serve(server, docs: list[dict]) -> list[str]:  # noqa: ANN001 - a LocalHTTPServer
    headers = [("Content-Type", "text/html; charset=utf-8")]
    return [server.route(f"/d/{n}.html", body=page(d), headers=headers) for n, d in enumerate(docs)]


def capture(owner, urls: list[str]) -> list:  # noqa: ANN001
    """Add and capture every page in order; the snapshots, finished."""
    from linkhome.links.services import add_link
    from linkhome.worker.sequence import capture_and_follow

    out = []
    for url in urls:
        added = add_link(owner, url)
        assert added.snapshot is not None  # a new address: add_link queued its capture
        out.append(capture_and_follow(added.snapshot.pk))
    return out


# --- the measures ------------------------------------------------------------------------


def related_quality(snapshots: list, topics: list[str]) -> dict:
    from linkhome.recommend.related import related_snapshots

    topic_of = {s.link_id: t for s, t in zip(snapshots, topics, strict=True)}
    hits = {5: 0.0, 10: 0.0}
    times = []
    for snapshot, topic in zip(snapshots, topics, strict=True):
        started = time.perf_counter()
        found = related_snapshots(snapshot, limit=10)
        times.append(time.perf_counter() - started)
        same = [topic_of.get(s.link_id) == topic for s in found]
        for k in hits:
            hits[k] += sum(same[:k]) / k
    return {
        "documents": len(snapshots),
        "p_at_5": round(hits[5] / len(snapshots), 3),
        "p_at_10": round(hits[10] / len(snapshots), 3),
        **latency(times),
    }


def latency(times: list[float], name: str = "related") -> dict:
    ordered = sorted(times)
    return {
        f"{name}_ms_p50": round(1000 * statistics.median(ordered), 2),
        f"{name}_ms_p95": round(1000 * ordered[int(0.95 * (len(ordered) - 1))], 2),
    }


def normalise(text: str) -> str:
    return re.sub(r"\s+", " ", unicodedata.normalize("NFKC", text).lower()).strip()


def tag_quality(owner, snapshots: list, docs: list[dict]) -> dict:  # noqa: ANN001
    from linkhome.recommend.suggestions import suggest_tags

    sums = dict.fromkeys(("p_at_5", "r_at_5", "p_at_10", "r_at_10"), 0.0)
    for snapshot, doc in zip(snapshots, docs, strict=True):
        gold = {normalise(k) for k in doc["keywords"]}
        suggested = [normalise(t) for t in suggest_tags(owner, snapshot, limit=10)]
        for n in (5, 10):
            hit = len(set(suggested[:n]) & gold)
            sums[f"p_at_{n}"] += hit / n
            sums[f"r_at_{n}"] += hit / len(gold)
    return {key: round(value / len(docs), 3) for key, value in sums.items()}


def evaluate(name: str, limit: int | None, owner) -> dict:  # noqa: ANN001
    """Capture the corpus (or a sample) as `owner` and measure; for the test suite too."""
    from linkhome.testing.http import LocalHTTPServer

    docs = documents(name, limit)
    with LocalHTTPServer() as server:
        started = time.perf_counter()
        snapshots = capture(owner, serve(server, docs))
        took = time.perf_counter() - started
    done = [s.status in ("succeeded", "partial") for s in snapshots]
    result = {"corpus": name, "captured": sum(done), "capture_s": round(took, 1)}
    result["related"] = related_quality(snapshots, [d["topic"] for d in docs])
    if "keywords" in docs[0]:
        result["tags"] = tag_quality(owner, snapshots, docs)
    return result
