"""Where the shared test corpus lives (../shared/corpus), for tests and benchmarks. No Django."""

import csv
import gzip
import json
import os
import re
from pathlib import Path


def corpus_dir() -> Path:
    """../shared/corpus beside the repository, or LINKHOME_CORPUS_DIR."""
    env = os.environ.get("LINKHOME_CORPUS_DIR")
    return Path(env) if env else Path(__file__).resolve().parents[3] / "shared" / "corpus"


def corpus_bytes(relative: str) -> bytes:
    """A corpus file's bytes, gunzipped when stored as .gz (the upstream bytes exactly)."""
    path = corpus_dir() / relative
    data = path.read_bytes()
    return gzip.decompress(data) if path.suffix == ".gz" else data


def magic_rows(kind: str, lang: str) -> list[dict[str, str]]:
    """magic-html-bench manifest rows of one kind ("article", "forum") and language."""
    with open(
        corpus_dir() / "magic-html-bench" / "manifest.tsv", encoding="utf-8", newline=""
    ) as f:
        return [
            r for r in csv.DictReader(f, delimiter="\t") if r["kind"] == kind and r["lang"] == lang
        ]


def magic_truth(kind: str) -> dict[str, str]:
    path = corpus_dir() / "magic-html-bench" / kind / "base.json"
    return {key: value["content"] for key, value in json.loads(path.read_text("utf-8")).items()}


_CHARSET_META = re.compile(
    r"""<meta\s[^>]*(?:[\s"'/]charset\s*=|http-equiv\s*=\s*["']?\s*content-type)[^>]*>""", re.I
)
_HEAD = re.compile(r"<head(?:\s[^>]*)?>", re.I)
GB2312_META = '<meta http-equiv="Content-Type" content="text/html; charset=gb2312">'


def as_gb2312_page(html: str) -> str:
    """The page with its charset metas replaced by one gb2312 http-equiv meta after <head>:
    with the text encoded as GB18030, a real old-GBK-site page built from visible data."""
    html = _CHARSET_META.sub("", html)
    head = _HEAD.search(html)
    at = head.end() if head else 0
    return html[:at] + GB2312_META + html[at:]
