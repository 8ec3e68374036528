"""The single-file builder's document: its own CSP, the page's doctype, charset meta and head."""

from linkhome.capture.steps.single_file import CONTENT_SECURITY_POLICY, SingleFile
from tests.single_file_support import (
    build,
    full_page_fixture,  # noqa: F401  (the `full` fixture)
    tree,
)


def test_it_adds_the_content_security_policy_right_after_the_charset(full: SingleFile) -> None:
    head = tree(full.html).find("head")
    assert head[0].get("charset") == "utf-8"
    assert head[1].get("http-equiv") == "Content-Security-Policy"
    assert head[1].get("content") == CONTENT_SECURITY_POLICY
    assert (
        "default-src 'none'; img-src data:; style-src 'unsafe-inline' data:"
        in CONTENT_SECURITY_POLICY
    )


def test_it_keeps_the_doctype_and_the_charset_meta_as_given() -> None:
    meta = '<meta http-equiv="Content-Type" content="text/html; charset=gb2312">'
    html = f"<!DOCTYPE html>\n<html><head>{meta}<title>中文</title></head><body><p>你好</p>"
    out = build(html, {}).html
    assert out.startswith("<!DOCTYPE html>\n<html>")
    assert meta in out
    assert "<title>中文</title>" in out and "<p>你好</p>" in out


def test_it_adds_no_doctype_to_a_page_without_one() -> None:
    out = build("<html><head></head><body><p>quirks</p></body></html>", {}).html
    assert out.startswith("<html><head>") and "DOCTYPE" not in out


def test_it_adds_a_head_when_the_page_has_none() -> None:
    root = tree(build("<frameset><frame src='a.html'></frameset>", {}).html)
    assert root[0].tag == "head" and root[0][0].get("http-equiv") == "Content-Security-Policy"
    assert root.find(".//frame").get("src") is None
