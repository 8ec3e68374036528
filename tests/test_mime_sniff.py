"""lib.mime_sniff against the WHATWG MIME Sniffing Standard's rules and tables."""

import gzip
import io
import random
import zipfile

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from linkhome.lib.mime_sniff import Sniffed, computed_type, sniff
from linkhome.testing.images import png

GIF = b"GIF89a\x01\x00\x01\x00\x80\x00\x00\xff\xff\xff\x00\x00\x00!\xf9\x04\x01\x00\x00\x00\x00,"
JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00" + bytes(64)
WEBP = b"RIFF\x24\x00\x00\x00WEBPVP8 \x18\x00\x00\x000\x01\x00\x9d\x01\x2a" + bytes(16)
MP4 = b"\x00\x00\x00\x18ftypmp42\x00\x00\x00\x00mp42isom" + bytes(32)
OGG = b"OggS\x00\x02" + bytes(40)
NOISE = random.Random(7).randbytes(132_415)  # compressed or encrypted data looks like this


def zipped() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("a.txt", "hello " * 100)
    return out.getvalue()


BINARIES = {
    "png": (png(8, 8), "image/png"),
    "gif": (GIF, "image/gif"),
    "jpeg": (JPEG, "image/jpeg"),
    "webp": (WEBP, "image/webp"),
    "mp4": (MP4, "video/mp4"),
    "ogg": (OGG, "application/ogg"),
    "gzip": (gzip.compress(b"hello " * 100), "application/x-gzip"),
    "zip": (zipped(), "application/zip"),
    "pdf": (b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog >>\nendobj\n", "application/pdf"),
    "noise": (NOISE, "application/octet-stream"),
}
TEXT_TYPES = [
    "text/html",
    "text/html; charset=utf-8",
    "text/plain",
    "text/plain; charset=UTF-8",
    "application/xhtml+xml",
    "text/xml",
]


@pytest.mark.parametrize("name", BINARIES)
@pytest.mark.parametrize("content_type", TEXT_TYPES)
def test_binary_served_as_text_is_binary_with_the_type_its_bytes_say(name, content_type):
    body, actual = BINARIES[name]
    found = sniff(body, content_type)
    assert not found.is_text and found.mime == actual


@pytest.mark.parametrize("name", BINARIES)
@pytest.mark.parametrize("content_type", [None, "", "*/*", "unknown/unknown", "nonsense"])
def test_binary_without_a_usable_type_is_identified_by_its_signature(name, content_type):
    body, actual = BINARIES[name]
    assert sniff(body, content_type) == Sniffed(actual, is_text=False)


def test_nosniff_keeps_the_type_given_but_binary_is_still_not_text():
    found = sniff(NOISE, "text/html", "nosniff")
    assert found.mime == "text/html" and not found.is_text
    assert sniff(b"<p>hi</p>", "text/plain", "NoSniff ,x").mime == "text/plain"


def test_nosniff_stops_an_untyped_body_being_taken_for_html_or_pdf():
    # 7.1 with sniff-scriptable unset: markup and PDF are not recognised.
    assert computed_type(b"<html><p>hi</p></html>", None, nosniff=True) == "text/plain"
    assert computed_type(b"%PDF-1.4 ...", None, nosniff=False) == "application/pdf"
    assert computed_type(b"%PDF-1.4 ...", None, nosniff=True) == "text/plain"


@pytest.mark.parametrize(
    ("start", "mime"),
    [
        (b"<!DOCTYPE html>", "text/html"),
        (b"\n\t <HTML lang=en>", "text/html"),
        (b"<!-- hello -->", "text/html"),
        (b"<p>words", "text/html"),
        (b"<br>", "text/html"),
        (b"<?xml version='1.0'?><rss/>", "text/xml"),
        (b"<pre>words", "text/plain"),  # not in the standard's list of tags
        (b"<htmlx>", "text/plain"),  # no tag-terminating byte
        (b"\xef\xbb\xbfplain", "text/plain"),
        (b"%!PS-Adobe-3.0", "application/postscript"),
        (b"just words", "text/plain"),
    ],
)
def test_an_untyped_body_is_identified_as_the_standard_says(start, mime):
    assert computed_type(start, None) == mime


def test_the_apache_bug_types_are_checked_and_other_text_types_trusted_for_text():
    assert computed_type(NOISE, "text/plain; charset=ISO-8859-1") == "application/octet-stream"
    assert computed_type(b"words", "text/plain") == "text/plain"
    assert computed_type(b"<p>words", "text/plain") == "text/plain"  # never upgraded to HTML
    assert computed_type(JPEG, "image/png") == "image/jpeg"  # images are sniffed as images
    assert computed_type(b"not an image", "image/png") == "image/png"


def test_text_that_only_looks_binary_to_the_plain_rule_stays_text():
    utf16 = "<!DOCTYPE html><p>你好, world</p>".encode("utf-16-le")
    assert sniff(utf16, "text/html").is_text  # UTF-16 without a BOM
    assert sniff("<p>你好</p>".encode("utf-16-be"), "text/html; charset=utf-16be").is_text
    korean = "안녕하세요 세계".encode("iso-2022-kr")
    assert sniff(korean, "text/plain").is_text
    assert sniff(b"<html>\x00<p>a stray NUL</p>", "text/html").is_text  # starts as markup


PRINTABLE = st.characters(blacklist_categories=("Cs", "Cc")) | st.sampled_from("\t\n\r")


@settings(max_examples=60, deadline=None)
@given(text=st.text(PRINTABLE, max_size=400), encoding=st.sampled_from(["utf-8", "gb18030"]))
def test_any_text_served_as_text_is_text(text, encoding):
    body = text.encode(encoding)
    for content_type in ("text/html", "text/plain", f"text/plain; charset={encoding}"):
        assert sniff(body, content_type).is_text


@pytest.mark.parametrize("content_type", ["text/html", "text/plain", "text/plain; charset=utf-8"])
def test_a_stray_control_byte_does_not_make_a_text_page_binary(content_type):
    page = b'<meta charset="utf-8"><link rel=stylesheet href=a.css>' + b"words " * 200
    stray = page[:300] + b"\x00" + page[300:600] + b"\x1a" + page[600:]
    assert sniff(stray, content_type).is_text
    dense = bytes(b if i % 50 else 0 for i, b in enumerate(page))  # 2 % NUL: not text
    assert not sniff(dense, content_type).is_text
