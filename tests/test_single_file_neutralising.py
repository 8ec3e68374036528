"""The single-file builder neutralises what could run or load by itself.

Scripts, event handlers, script URLs, meta refresh, the page's CSP, resource hints, frames,
plugins, media streams, external SVG <use> and pings.
"""

import pytest
from lxml import etree

from linkhome.capture.steps.single_file import (
    CONTENT_SECURITY_POLICY,
    SingleFile,
    build_single_file,
)
from tests.single_file_support import (
    PAGE,
    SITE,
    SVG,
    Site,
    build,
    data_uri,
    full_page_fixture,  # noqa: F401  (the `full` fixture)
    page,
    tree,
)


def test_it_removes_scripts_but_keeps_the_text_after_them(full: SingleFile) -> None:
    root = tree(full.html)
    assert root.find(".//script") is None and "<script" not in full.html
    html = build(page(body="<p>a<script>x()</script>b</p>"), {}).html
    assert tree(html).find(".//p").text_content() == "ab"


def test_it_removes_event_handlers_and_script_urls(full: SingleFile) -> None:
    root = tree(full.html)
    assert not [n for e in root.iter(etree.Element) for n in e.attrib if n.startswith("on")]
    assert root.xpath("//a")[0].get("href") == "#"
    html = build(
        page(body='<form action=" java\tscript:x()"><a href="vbscript:y">v</a></form>'), {}
    ).html
    assert tree(html).find(".//form").get("action") is None and "script:" not in html


def test_it_removes_meta_refresh(full: SingleFile) -> None:
    assert [m.get("http-equiv") for m in tree(full.html).iter("meta")] == [
        None,
        "Content-Security-Policy",
    ]


def test_it_removes_the_pages_own_csp_which_could_block_data_uris() -> None:
    html = build(
        page('<meta http-equiv="Content-Security-Policy" content="img-src \'self\'">'), {}
    ).html
    assert [m.get("content") for m in tree(html).iter("meta")] == [None, CONTENT_SECURITY_POLICY]


@pytest.mark.parametrize(
    "rel",
    ["preload", "prefetch", "modulepreload", "dns-prefetch", "preconnect", "manifest", "canonical"],
)
def test_it_removes_links_that_are_neither_stylesheets_nor_icons(rel: str) -> None:
    site = Site({})
    result = build_single_file(page(f'<link rel="{rel}" href="https://x.example/r">'), PAGE, site)
    assert tree(result.html).find(".//link") is None and "x.example" not in "".join(site.calls)


def test_it_keeps_frames_for_layout_with_a_placeholder_and_no_source(full: SingleFile) -> None:
    frame = tree(full.html).find(".//iframe")
    assert frame.get("src") is None and frame.get("width") == "560"
    assert "https://video.example.org/embed/1" in frame.get("srcdoc")
    assert "<script" not in frame.get("srcdoc") and "src=" not in frame.get("srcdoc")


def test_it_replaces_plugins_by_their_fallback_content(full: SingleFile) -> None:
    root = tree(full.html)
    assert root.find(".//object") is None and root.find(".//embed") is None
    assert root.find(".//param") is None and "<p>fallback</p>" in full.html


def test_it_keeps_video_posters_but_not_streams(full: SingleFile) -> None:
    video = tree(full.html).find(".//video")
    assert video.get("src") is None and video.find("source") is None
    assert video.get("poster") == data_uri("image/svg+xml", SVG)


def test_it_removes_external_svg_use_references_but_keeps_fragments() -> None:
    body = '<svg><use href="/sprite.svg#a"/><use xlink:href="#b"/></svg>'
    uses = list(tree(build(page(body=body), {}).html).iter("use"))
    assert uses[0].get("href") is None and uses[1].get("xlink:href") == "#b"


def test_it_makes_links_absolute_and_removes_pings(full: SingleFile) -> None:
    about = tree(full.html).xpath("//a")[1]
    assert about.get("href") == f"{SITE}/2024/about.html" and about.get("ping") is None


def test_it_keeps_fragment_links_as_they_are() -> None:
    assert (
        tree(build(page(body='<a href="#top">t</a>'), {}).html).find(".//a").get("href") == "#top"
    )
