"""Real Chinese and English articles for bench/web.py: seed content and the local add site.

THUCNews (Sina news, 957 articles) and BBC News (1,735) from ../shared/corpus, so pages
render real text of real lengths. No Django here: the add site runs without it.
"""

import html
import json
import re
import sys
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from linkhome.testing.corpus import corpus_dir

# THUCNews glues the headline to the body (see topics-zh/README.md): the headline ends at
# the first byline-ish marker or clause end; 30 characters at most either way.
ZH_HEADLINE_END = re.compile(r"新浪|本报|记者|\xa0|，|。|\s{2}")
ZH_HEADLINE_MAX = 30
ZH_SENTENCES_PER_PARAGRAPH = 4


@dataclass(frozen=True)
class Article:
    key: str  # corpus id, e.g. "bbc-business-001"
    language: str  # "zh" or "en"
    topic: str
    title: str
    paragraphs: tuple[str, ...]

    @property
    def text(self) -> str:
        return "\n\n".join(self.paragraphs)


@lru_cache(maxsize=1)
def articles() -> tuple[Article, ...]:
    """Chinese and English interleaved, so any slice of the list has both."""
    chinese = [_thucnews(row) for row in _rows("topics-zh/thucnews.jsonl")]
    english = [_bbc(row) for row in _rows("topics-en/bbc.jsonl")]
    mixed = [a for pair in zip(chinese, english, strict=False) for a in pair]
    return tuple(mixed + english[len(chinese) :])


def _rows(relative: str) -> list[dict]:
    with open(corpus_dir() / relative, encoding="utf-8") as handle:
        return [json.loads(line) for line in handle if line.strip()]


def _thucnews(row: dict) -> Article:
    text = row["text"]
    found = ZH_HEADLINE_END.search(text, 1)
    end = min(found.start() if found else len(text), ZH_HEADLINE_MAX)
    sentences = [s + "。" for s in text[end:].split("。") if s.strip()]
    step = ZH_SENTENCES_PER_PARAGRAPH
    paragraphs = ["".join(sentences[i : i + step]) for i in range(0, len(sentences), step)]
    return Article(row["id"], "zh", row["topic"], text[:end].strip(), tuple(paragraphs))


def _bbc(row: dict) -> Article:
    paragraphs = tuple(p.strip() for p in row["text"].split("\n") if p.strip())
    return Article(row["id"], "en", row["topic"], row["title"], paragraphs)


def readable_html(article: Article) -> str:
    """What the extract step keeps: a heading and paragraphs, no page chrome."""
    body = "".join(f"<p>{html.escape(p)}</p>" for p in article.paragraphs)
    return f"<h1>{html.escape(article.title)}</h1>{body}"


def page_html(article: Article) -> str:
    """A whole page as a news site would send it (no external assets: captures stay local)."""
    lang = "zh-CN" if article.language == "zh" else "en"
    title = html.escape(article.title)
    return (
        f'<!doctype html><html lang="{lang}"><head><meta charset="utf-8"><title>{title}</title>'
        f'<meta name="description" content="{title}"></head><body><nav>首页 · News</nav>'
        f"<article>{readable_html(article)}</article><footer>© bench</footer></body></html>"
    )
