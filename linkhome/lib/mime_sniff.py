"""What a response body is, decided as browsers decide: the WHATWG MIME Sniffing Standard.

https://mimesniff.spec.whatwg.org/ - section 7 (the computed MIME type of a resource), with
its pattern tables for images (6.1), audio and video (6.2, without the MP3-without-ID3
frame walk) and archives (6.4), the rules for an unknown type (7.1) and for telling text
from binary (7.2). No Django; pure functions over bytes.

One rule goes beyond browsers, for an archive that indexes text: a body declared as HTML,
XML or text whose first bytes are binary by 7.2 (a file signature, or many "binary data
bytes") is binary whatever it claims, unless it begins like markup. A browser would render
such garbage as HTML; LinkHome keeps it as the file it is and does not index it as text
(`sniff(...).is_text`). The text check allows what real text pages hold and 7.2 does not:
UTF-16/32 without a BOM, ISO-2022-KR's shift bytes, a stray control byte (binary_type).
"""

from __future__ import annotations

from dataclasses import dataclass

# 3.1: the resource header is at most this many bytes of the body.
RESOURCE_HEADER_SIZE = 1445
# 3.2: bytes that never occur in text (controls other than TAB, LF, FF, CR and ESC).
BINARY_DATA_BYTES = frozenset([*range(0x00, 0x09), 0x0B, *range(0x0E, 0x1B), *range(0x1C, 0x20)])
# Of the resource header, the share of binary data bytes that makes text typed as text
# binary when no signature says what it is (random or compressed data has about 10 %).
MIN_BINARY_SHARE = 0.01
WHITESPACE_BYTES = b"\t\n\x0c\r "
TAG_TERMINATING_BYTES = b" >"
# 7 step 3: the Content-Type values old Apache servers sent for every file.
APACHE_BUG_TYPES = frozenset(
    {
        "text/plain",
        "text/plain; charset=ISO-8859-1",
        "text/plain; charset=iso-8859-1",
        "text/plain; charset=UTF-8",
    }
)
UNKNOWN_TYPES = frozenset({"unknown/unknown", "application/unknown", "*/*"})
HTML_TYPES = frozenset({"text/html"})
# Charsets whose text is full of NUL bytes: the binary byte check says nothing about them.
WIDE_CHARSETS = ("utf-16", "utf-32", "ucs-2", "ucs-4", "unicode")


@dataclass(frozen=True)
class Pattern:
    """A byte pattern (5.1): `mask` ANDed with the data must equal `pattern`; leading bytes
    in `ignore` are skipped first."""

    pattern: bytes
    mime: str
    mask: bytes = b""
    ignore: bytes = b""

    def matches(self, data: bytes) -> bool:
        start = 0
        while self.ignore and start < len(data) and data[start] in self.ignore:
            start += 1
        data = data[start:]
        if len(data) < len(self.pattern):
            return False
        mask = self.mask or b"\xff" * len(self.pattern)
        return all(d & m == p for d, m, p in zip(data, mask, self.pattern, strict=False))


def _html_tag(name: bytes) -> list[Pattern]:
    """`<NAME` plus a tag-terminating byte, any letter case, after leading whitespace."""
    masked = bytes(0xDF if 0x61 <= b <= 0x7A or 0x41 <= b <= 0x5A else 0xFF for b in name)
    return [
        Pattern(name.upper() + end, "text/html", masked + b"\xff", WHITESPACE_BYTES)
        for end in (b" ", b">")
    ]


# 7.1 step 1 (only when scripts may be sniffed): markup and PDF.
SCRIPTABLE_PATTERNS: tuple[Pattern, ...] = (
    *[
        p
        for tag in (b"<!DOCTYPE HTML", b"<HTML", b"<HEAD", b"<SCRIPT", b"<IFRAME", b"<H1")
        for p in _html_tag(tag)
    ],
    *[
        p
        for tag in (b"<DIV", b"<FONT", b"<TABLE", b"<A", b"<STYLE", b"<TITLE", b"<B", b"<BODY")
        for p in _html_tag(tag)
    ],
    *[p for tag in (b"<BR", b"<P", b"<!--") for p in _html_tag(tag)],
    Pattern(b"<?xml", "text/xml", ignore=WHITESPACE_BYTES),
    Pattern(b"%PDF-", "application/pdf"),
)
MARKUP_PATTERNS = SCRIPTABLE_PATTERNS[:-1]
# 7.1 step 2: PostScript and the byte order marks.
TEXT_PATTERNS: tuple[Pattern, ...] = (
    Pattern(b"%!PS-Adobe-", "application/postscript"),
    Pattern(b"\xfe\xff\x00\x00", "text/plain", b"\xff\xff\x00\x00"),
    Pattern(b"\xff\xfe\x00\x00", "text/plain", b"\xff\xff\x00\x00"),
    Pattern(b"\xef\xbb\xbf\x00", "text/plain", b"\xff\xff\xff\x00"),
)
# 6.1
IMAGE_PATTERNS: tuple[Pattern, ...] = (
    Pattern(b"\x00\x00\x01\x00", "image/x-icon"),
    Pattern(b"\x00\x00\x02\x00", "image/x-icon"),
    Pattern(b"BM", "image/bmp"),
    Pattern(b"GIF87a", "image/gif"),
    Pattern(b"GIF89a", "image/gif"),
    Pattern(b"RIFF\x00\x00\x00\x00WEBPVP", "image/webp", b"\xff" * 4 + b"\x00" * 4 + b"\xff" * 6),
    Pattern(b"\x89PNG\r\n\x1a\n", "image/png"),
    Pattern(b"\xff\xd8\xff", "image/jpeg"),
)
# 6.2 (the patterns; mp4 and webm are matched by _is_mp4 and _is_webm)
MEDIA_PATTERNS: tuple[Pattern, ...] = (
    Pattern(b".snd", "audio/basic"),
    Pattern(b"FORM\x00\x00\x00\x00AIFF", "audio/aiff", b"\xff" * 4 + b"\x00" * 4 + b"\xff" * 4),
    Pattern(b"ID3", "audio/mpeg"),
    Pattern(b"OggS\x00", "application/ogg"),
    Pattern(b"MThd\x00\x00\x00\x06", "audio/midi"),
    Pattern(b"RIFF\x00\x00\x00\x00AVI ", "video/avi", b"\xff" * 4 + b"\x00" * 4 + b"\xff" * 4),
    Pattern(b"RIFF\x00\x00\x00\x00WAVE", "audio/wave", b"\xff" * 4 + b"\x00" * 4 + b"\xff" * 4),
)
# 6.4
ARCHIVE_PATTERNS: tuple[Pattern, ...] = (
    Pattern(b"\x1f\x8b\x08", "application/x-gzip"),
    Pattern(b"PK\x03\x04", "application/zip"),
    Pattern(b"Rar!\x1a\x07\x00", "application/x-rar-compressed"),
)


@dataclass(frozen=True)
class Sniffed:
    """`mime`: the computed MIME type (an essence, "type/subtype"). `is_text`: the type is a
    text type (HTML, XML, text/*) and the bytes are text, so they may be read as such."""

    mime: str
    is_text: bool


def resource_header(body: bytes) -> bytes:
    return body[:RESOURCE_HEADER_SIZE]


def has_binary_bytes(data: bytes) -> bool:
    return not BINARY_DATA_BYTES.isdisjoint(data)


def essence(content_type: str | None) -> str | None:
    """The "type/subtype" of a Content-Type value, lowercased; None when absent or invalid."""
    if not content_type:
        return None
    value = content_type.split(";", 1)[0].strip().lower()
    kind, slash, subtype = value.partition("/")
    if not slash or not kind or not subtype or any(c in value for c in ' "(),:<>?@[\\]{}'):
        return None
    return value


def is_nosniff(header: str | None) -> bool:
    """X-Content-Type-Options (Fetch): the first value, trimmed, is `nosniff` in any case."""
    return header is not None and header.split(",", 1)[0].strip().lower() == "nosniff"


def match_image(data: bytes) -> str | None:
    return _first(IMAGE_PATTERNS, data)


def match_media(data: bytes) -> str | None:
    found = _first(MEDIA_PATTERNS, data)
    if found:
        return found
    if _is_mp4(data):
        return "video/mp4"
    return "video/webm" if _is_webm(data) else None


def match_archive(data: bytes) -> str | None:
    return _first(ARCHIVE_PATTERNS, data)


def unknown_type(data: bytes, *, sniff_scriptable: bool = True) -> str:
    """7.1: the type of a body whose server gave none (or "unknown/unknown" and the like)."""
    if sniff_scriptable:
        found = _first(SCRIPTABLE_PATTERNS, data)
        if found:
            return found
    found = _first(TEXT_PATTERNS, data) or match_image(data) or match_media(data)
    found = found or match_archive(data)
    if found:
        return found
    return "application/octet-stream" if has_binary_bytes(data) else "text/plain"


def text_or_binary(data: bytes) -> str:
    """7.2: "text/plain" for a text body, else what its signature says it is."""
    if data[:2] in (b"\xfe\xff", b"\xff\xfe") or data[:3] == b"\xef\xbb\xbf":
        return "text/plain"
    if not has_binary_bytes(data):
        return "text/plain"
    return unknown_type(data, sniff_scriptable=False)


def computed_type(body: bytes, content_type: str | None, nosniff: bool = False) -> str:
    """7 (for HTTP): the MIME type a browser would use for this body and header."""
    data = resource_header(body)
    supplied = essence(content_type)
    if supplied is None or supplied in UNKNOWN_TYPES:
        found = unknown_type(data, sniff_scriptable=not nosniff)
        if found == "application/octet-stream" and binary_type(data) is None:
            return "text/plain"  # the allowances of binary_type (UTF-16 without a BOM)
        return found
    if nosniff:
        return supplied
    if content_type in APACHE_BUG_TYPES:
        # 7.2 with the allowances of binary_type: UTF-16 text without a BOM stays text.
        return binary_type(data, content_type) or "text/plain"
    if supplied in HTML_TYPES or _is_xml(supplied):
        return supplied
    if supplied.startswith("image/"):
        return match_image(data) or supplied
    if supplied.startswith(("audio/", "video/")) or supplied == "application/ogg":
        return match_media(data) or supplied
    return supplied


def sniff(body: bytes, content_type: str | None, nosniff_header: str | None = None) -> Sniffed:
    """The computed type of the body and whether it is text (see the module docstring).

    A body typed as text that is binary gets the type its signature says (or
    application/octet-stream), except under nosniff, which keeps the type the server
    gave; either way it is not text."""
    nosniff = is_nosniff(nosniff_header)
    mime = computed_type(body, content_type, nosniff)
    if not is_textual(mime):
        return Sniffed(mime, is_text=False)
    actual = binary_type(resource_header(body), content_type)
    if actual is None:
        return Sniffed(mime, is_text=True)
    return Sniffed(mime if nosniff else actual, is_text=False)


def binary_type(data: bytes, content_type: str | None = None) -> str | None:
    """The type of a resource header that is not text though typed as text; None for text.

    Binary data bytes (7.2) make it binary when they are a file signature (PNG, gzip…) or
    at least MIN_BINARY_SHARE of the bytes (random and compressed data: about a tenth);
    a page with a stray control byte, one that starts like markup, and UTF-16 or UTF-32
    text (full of NULs) stay text. A PDF signature makes it binary too, since PDF headers
    may be plain ASCII for a long way."""
    if data.startswith(b"%PDF-"):
        return "application/pdf"
    if _wide_charset(content_type) or _first(MARKUP_PATTERNS, data) or _wide_text(data):
        return None
    data = _without_iso2022_shifts(data)
    found = text_or_binary(data)
    if found == "text/plain":
        return None
    if found == "application/octet-stream" and _binary_share(data) < MIN_BINARY_SHARE:
        return None
    return found


def _binary_share(data: bytes) -> float:
    return sum(data.count(byte) for byte in BINARY_DATA_BYTES) / max(len(data), 1)


def is_textual(mime: str) -> bool:
    return mime.startswith("text/") or _is_xml(mime) or mime in HTML_TYPES


def _is_xml(mime: str) -> bool:
    return mime.endswith("+xml") or mime in ("text/xml", "application/xml")


def _wide_charset(content_type: str | None) -> bool:
    for parameter in (content_type or "").split(";")[1:]:
        key, _, value = parameter.partition("=")
        if key.strip().lower() == "charset":
            return value.strip().strip("\"'").lower().startswith(WIDE_CHARSETS)
    return False


def _wide_text(data: bytes) -> bool:
    """UTF-16 or UTF-32 without a BOM: NULs in one or more fixed positions of each code
    unit (every ASCII character), none in the others. Binary formats put NULs anywhere."""
    if len(data) < 16:
        return False
    for width, nul_lanes in ((2, {0}), (2, {1}), (4, {0, 1}), (4, {2, 3})):
        lanes = [data[lane::width] for lane in range(width)]
        nul = [lane.count(0) / max(len(lane), 1) for lane in lanes]
        wanted = all(nul[lane] >= 0.2 for lane in nul_lanes)
        if wanted and all(nul[lane] <= 0.01 for lane in range(width) if lane not in nul_lanes):
            return True
    return False


def _without_iso2022_shifts(data: bytes) -> bytes:
    """ISO-2022-KR and -CN text shifts with SO and SI (binary data bytes to the standard)
    after an ESC designation; such text is no binary."""
    if b"\x1b$" in data:
        return data.replace(b"\x0e", b"").replace(b"\x0f", b"")
    return data


def _first(patterns: tuple[Pattern, ...], data: bytes) -> str | None:
    return next((p.mime for p in patterns if p.matches(data)), None)


def _is_mp4(data: bytes) -> bool:
    """6.2.1: an ISO BMFF `ftyp` box naming an mp4 brand."""
    if len(data) < 12:
        return False
    box_size = int.from_bytes(data[:4], "big")
    if len(data) < box_size or box_size % 4 != 0 or data[4:8] != b"ftyp":
        return False
    if data[8:11] == b"mp4":
        return True
    return any(data[at : at + 3] == b"mp4" for at in range(16, box_size, 4))


def _is_webm(data: bytes) -> bool:
    """6.2.2, shortened: an EBML header whose DocType is "webm" within its first bytes."""
    if data[:4] != b"\x1a\x45\xdf\xa3":
        return False
    at = data.find(b"\x42\x82", 4, 38)
    return at != -1 and data[at + 3 : at + 7] == b"webm"
