"""The single-file builder on a sample of the shared corpus: no page keeps a network reference."""

import gzip
from pathlib import Path

import pytest

from linkhome.capture.steps.single_file import Asset, build_single_file
from linkhome.testing.corpus import corpus_dir
from tests.single_file_support import PNG, network_references, tree

CORPUS = corpus_dir()


def corpus_sample() -> list[Path]:
    pages = sorted(CORPUS.glob("*/**/*.html*"))
    return pages[:: max(1, len(pages) // 40)]


def corpus_site(url: str) -> Asset:
    """Every asset of a real page "exists": style sheets import and reference more."""
    if ".css" in url:
        css = b'@import "more.css"; a{background:url(../x.png)} @font-face{src:url(f.woff2)}'
        return Asset(url, "text/css", css)
    return Asset(url, "image/png", PNG)


@pytest.mark.corpus
@pytest.mark.parametrize("path", corpus_sample(), ids=lambda p: p.name[:16])
def test_real_pages_build_without_network_references(path: Path) -> None:
    raw = path.read_bytes()
    html = (gzip.decompress(raw) if path.suffix == ".gz" else raw).decode("utf-8", "replace")
    result = build_single_file(html, "https://example.com/a/b/page.html", corpus_site)
    assert network_references(result.html) == []
    assert tree(result.html).find(".//title") is not None or "<title" not in html.lower()
