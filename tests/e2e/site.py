"""The fixture site the journey keeps links from: real corpus text in minimal pages.

The articles come from ../shared/corpus (THUCNews for Chinese, BBC for English), wrapped in
pages we write ourselves: the original pages reference images and styles on outside hosts,
and with LINKHOME_CAPTURE_ASSETS on the capture would try to reach them. These pages
reference nothing, so every request the platform makes stays on 127.0.0.1.
"""

import dataclasses
import html
import json
import re
from functools import cache

from linkhome.testing.corpus import corpus_dir
from linkhome.testing.http import LocalHTTPServer

HTML_UTF8 = [("Content-Type", "text/html; charset=utf-8")]


@dataclasses.dataclass(frozen=True)
class FixturePage:
    """One page of the site and what the journey does with it."""

    path: str
    title: str
    body: bytes
    probe: str  # a sentence of the article: the snapshot's readable text must contain it
    tags: tuple[str, ...] = ()  # given when the link is added
    private: bool = False
    delay: float = 0.0  # seconds before the site answers: keeps a capture visibly "running"
    url: str = dataclasses.field(default="", compare=False)

    @property
    def title_start(self) -> str:
        # Lists cut long titles to fit, so look for the start of one, not the whole.
        return self.title[:10]


def _paragraphs_zh(text: str, per_paragraph: int = 3) -> list[str]:
    sentences = [s + "。" for s in text.split("。") if s.strip()]
    return [
        "".join(sentences[i : i + per_paragraph]) for i in range(0, len(sentences), per_paragraph)
    ]


def _page(title: str, paragraphs: list[str], lang: str) -> bytes:
    body = "\n".join(f"<p>{html.escape(p)}</p>" for p in paragraphs)
    return (
        f'<!doctype html>\n<html lang="{lang}"><head><meta charset="utf-8">'
        f"<title>{html.escape(title)}</title></head>\n"
        f"<body><article><h1>{html.escape(title)}</h1>\n{body}\n</article></body></html>\n"
    ).encode()


@cache
def _jsonl(relative: str) -> dict[str, dict]:
    with open(corpus_dir() / relative, encoding="utf-8") as f:
        return {row["id"]: row for row in map(json.loads, f)}


def sina_sports(doc_id: str, **use: object) -> FixturePage:
    """A THUCNews sports story: upstream glued the headline to the body, which starts at
    the dateline 新浪体育讯, so that is where the headline ends."""
    text = _jsonl("topics-zh/thucnews.jsonl")[doc_id]["text"]
    title, body = text.split("新浪体育讯", 1)
    paragraphs = _paragraphs_zh("新浪体育讯" + body)
    probe = paragraphs[0].split("。")[1]  # the second sentence: plain article text
    title = title.strip()
    page = _page(title, paragraphs, "zh-CN")
    return FixturePage(f"/zh/{doc_id}.html", title, page, probe, **use)


def bbc_story(doc_id: str, **use: object) -> FixturePage:
    row = _jsonl("topics-en/bbc.jsonl")[doc_id]
    paragraphs = [p for p in re.split(r"\n\s*\n", row["text"]) if p.strip()]
    probe = paragraphs[0].split(". ")[0]
    page = _page(row["title"], paragraphs, "en")
    return FixturePage(f"/en/{doc_id}.html", row["title"], page, probe, **use)


def serve(server: LocalHTTPServer, page: FixturePage) -> FixturePage:
    url = server.route(page.path, body=page.body, headers=HTML_UTF8, delay=page.delay)
    return dataclasses.replace(page, url=url)
