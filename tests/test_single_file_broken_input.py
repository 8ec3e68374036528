"""The single-file builder never raises on broken input and keeps what libxml2 would lose."""

import pytest

from linkhome.capture.steps.single_file import CONTENT_SECURITY_POLICY
from tests.single_file_support import PNG, SITE, build, network_references, page, tree

BROKEN = [
    "",
    "   ",
    "<!-- only a comment -->",
    "just text",
    "<html",
    "<img src=",
    "<p>\x00\x01\x02 nul and controls</p>",
    "\ufeff<p>bom</p>",
    "<?xml version='1.0' encoding='utf-8'?><html><body><img src=a.png></body></html>",
    "<p>lone surrogate \udc80</p>",
    "<div>" * 5000 + "deep",
    "<style>" + "{" * 3000 + "url(a.png)</style>",
    "<style>a{background:url(a b.png)} b{content:'unterminated\n} @import url(</style>",
    "<style>@font-face{src:}@font-face{src:url()}@font-face{}@import ;@import url() x;</style>",
    '<img srcset=", , ,"><img srcset="   2x"><source srcset="a.png 1x">',
    '<p style="background:url(\'a.png">x</p><p style="\\">y</p>',
    '<base href="javascript:alert(1)"><img src="a.png">',
    '<base href="http://[::1"><img src="http://[::1/a.png">',
    '<link rel="stylesheet" href=""><link rel="icon">',
    "<table><td background=\"\"><svg><image href=''/></svg>",
    '<noscript><noscript><img src="n.png"></noscript></noscript>',
    '<picture><source srcset="a.png"><source srcset="b.png">text<img src="c.png">tail</picture>',
]


@pytest.mark.parametrize("html", BROKEN, ids=lambda h: repr(h[:30]))
def test_it_never_raises_on_broken_html_or_css(html: str) -> None:
    files = {f"{SITE}/2024/05/a.png": ("image/png", PNG)}
    result = build(html, files)
    assert isinstance(result.html, str) and network_references(result.html) == []
    assert CONTENT_SECURITY_POLICY in result.html.replace("&#39;", "'")


def test_it_survives_control_characters_in_a_style_sheet() -> None:
    css = b'p{content:"a\x00b\x01"} q{background:url(/a.png)}'
    html = page('<link rel="stylesheet" href="/c.css">')
    result = build(html, {f"{SITE}/c.css": ("text/css", css), f"{SITE}/a.png": ("image/png", PNG)})
    assert 'p{content:"a\ufffdb\ufffd"}' in result.html and result.assets[-1] == f"{SITE}/a.png"


def test_it_keeps_a_text_node_bigger_than_libxml2s_default_limit() -> None:
    big = "x" * 11_000_000
    result = build(page(body=f"<p>{big}</p>"), {})
    assert len(result.html) > 11_000_000


def test_it_keeps_the_text_around_void_elements_libxml2_does_not_know() -> None:
    body = '<picture><source srcset="x.png">s<img src="y.png" alt="kept"></picture><p>a<wbr>b</p>'
    result = build(page(body=body), {})
    root = tree(result.html)
    assert root.find(".//img").get("alt") == "kept" and root.find(".//p").text_content() == "ab"
