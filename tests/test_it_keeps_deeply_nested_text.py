"""Text nested deeper than a parser's limit is kept (libxml2 stopped at 256 levels and
dropped the rest of the page)."""

import io

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from warcio.archiveiterator import ArchiveIterator

from linkhome.archive.artifacts import artifact_bytes
from linkhome.capture.steps.extract import extract
from linkhome.capture.steps.single_file.document import parse
from linkhome.capture.steps.warc_metadata import outlinks
from linkhome.lib.html_depth import flatten_deep, reaches_depth
from linkhome.links.services import add_link
from linkhome.worker.sequence import capture_and_follow

DEEP = "Words nested in the deepest box of the page survive."
AFTER = "The closing paragraph after the deep part survives too."
DEPTHS = [250, 300, 1000, 5000]


def nested_page(depth: int, tag: str = "div") -> str:
    deep = f'<p>{DEEP} <a href="/deep-link">more</a></p>'
    opened, closed = f'<{tag} class="box">' * depth, f"</{tag}>" * depth
    return (
        "<!DOCTYPE html><html><head><title>Deep</title></head><body><h1>A deep page</h1>"
        f"{opened}{deep}{closed}<p>{AFTER}</p></body></html>"
    )


@pytest.mark.parametrize("depth", DEPTHS)
@pytest.mark.parametrize("tag", ["div", "span", "section", "blockquote"])
def test_the_extractor_keeps_text_at_any_depth(depth, tag):
    found = extract(nested_page(depth, tag), "https://example.com/deep")
    assert DEEP in found.text and AFTER in found.text
    assert DEEP in found.readable_html


@pytest.mark.parametrize("depth", [*DEPTHS, 2100])
def test_the_single_file_parser_keeps_text_at_any_depth(depth):
    root, _ = parse(nested_page(depth))
    assert DEEP in root.text_content() and AFTER in root.text_content()


@pytest.mark.parametrize("depth", DEPTHS)
def test_the_warc_metadata_lists_links_at_any_depth(depth):
    found = [link for link, _, _ in outlinks(nested_page(depth).encode(), "https://a.example/")]
    assert "https://a.example/deep-link" in found


def test_hundreds_of_wbr_no_longer_hide_the_rest_of_the_page():
    # libxml2 does not know <wbr> is empty and nests the rest of the page inside each one.
    page = f"<html><body><p>{'long<wbr>word' * 400}</p><p>{AFTER}</p></body></html>"
    assert AFTER in extract(page, "https://example.com/").text


def test_flattening_keeps_every_element_and_word_in_order_within_the_depth():
    page = nested_page(50).replace("<h1>", "<script>if (a<b) s = '<div>';</script><h1>")
    flat = flatten_deep(page, 10)
    assert "<script>if (a<b) s = '<div>';</script>" in flat
    assert flat.count('<div class="box">') == 50 and flat.count('<a href="/deep-link">') == 1
    root, _ = parse(flat)
    assert reaches_depth(root, 10) and not reaches_depth(root, 11)  # 10 levels + siblings
    assert " ".join(root.text_content().split()) == " ".join(parse(page)[0].text_content().split())


def test_reaches_depth_counts_levels_below_the_root():
    root, _ = parse(nested_page(10))  # html > body > 10 divs > p > a
    assert reaches_depth(root, 13) and not reaches_depth(root, 14)


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("depth", [300, 1500, 5000])
def test_a_captured_page_keeps_its_deep_text_everywhere(http_server, owner, depth):
    http_server.route("/deep", body=nested_page(depth).encode())
    snapshot = capture_and_follow(add_link(owner, http_server.url("/deep")).snapshot.pk)
    kinds = {a.kind: a for a in snapshot.artifacts.all()}
    assert snapshot.status == "succeeded", snapshot.error
    assert DEEP in snapshot.text and AFTER in snapshot.text
    for kind in ("readable", "single_file"):
        assert DEEP in artifact_bytes(kinds[kind]).decode(), kind
    metadata = [
        r.content_stream().read()
        for r in ArchiveIterator(io.BytesIO(artifact_bytes(kinds["warc"])))
        if r.rec_type == "metadata"
    ]
    assert b"/deep-link" in metadata[0]


# Elements libxml2 nests in each other (a <p> or <li> would close the one before).
TAGS = ["div", "span", "b", "section", "font", "em", "blockquote", "article"]


FILLERS = [
    "",
    "alpha",
    "中文 bravo",
    "<br>",
    "<wbr>",
    '<img src="x.png">',
    "<hr/>",
    "<!-- <div> -->",
    "<script>if (a<b) x = '<div>'</script>",
    "<b>delta</b>",
    "<p>echo",  # an end tag left implied
]


@st.composite
def markup(draw) -> str:  # noqa: ANN001
    """A random chain of nested elements with words, voids, comments and scripts around."""
    depth = draw(st.integers(0, 40))
    tags = draw(st.lists(st.sampled_from(TAGS), min_size=depth, max_size=depth))
    html = draw(st.sampled_from(FILLERS[1:3]))
    for tag in reversed(tags):
        before, after = draw(st.sampled_from(FILLERS)), draw(st.sampled_from(FILLERS))
        html = f'{before}<{tag} class="c">{html}</{tag}>{after}'
    return html


@settings(max_examples=60, deadline=None)
@given(body=markup(), limit=st.integers(3, 12))
def test_flattening_keeps_the_text_of_any_page_in_order(body, limit):
    page = f"<html><body>{body}</body></html>"
    flat = flatten_deep(page, limit)
    words = lambda root: root.text_content().split()  # noqa: E731
    assert words(parse(flat)[0]) == words(parse(page)[0])
    assert not reaches_depth(parse(flat)[0], limit + 2)  # the limit, a sibling, a void
