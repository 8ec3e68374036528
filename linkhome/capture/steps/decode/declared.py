"""What the document declares: a BOM, the HTTP header, the XML declaration or a <meta>."""

from __future__ import annotations

import codecs
import re
from collections.abc import Iterator

from .decoded import Decoded
from .labels import normalize_label
from .meta import meta_charset_spans

_BOMS = (
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
)
_PRESCAN_BYTES = 4096
_XML_DECLARATION = re.compile(r"""\s*<\?xml\s[^>]*?encoding\s*=\s*["']?\s*([\w.:-]+)""", re.I)


def from_bom(body: bytes) -> Decoded | None:
    for bom, codec in _BOMS:
        if body.startswith(bom):
            return Decoded(body[len(bom) :].decode(codec, "replace"), codec, "bom")
    return None


def _in_document_label(body: bytes) -> tuple[str, str] | None:
    # latin-1 maps each byte to one character, so the ASCII markup reads the same in any
    # ASCII-compatible charset and the str patterns serve bytes and decoded text alike.
    head = body[:_PRESCAN_BYTES].decode("latin-1")
    xml = _XML_DECLARATION.match(head)
    if xml:
        return "xml-declaration", xml[1]
    span = next(meta_charset_spans(head, len(head)), None)
    return ("meta", head[slice(*span)]) if span else None


def declarations(body: bytes, header_charset: str | None) -> Iterator[tuple[str, str]]:
    """(source, codec) pairs, most authoritative first; unknown labels are dropped."""
    header = normalize_label(header_charset) if header_charset else None
    if header:
        yield "http-header", header
    found = _in_document_label(body)
    codec = normalize_label(found[1]) if found else None
    if found and codec:
        # A label read from the bytes as ASCII cannot be UTF-16 (WHATWG: use UTF-8 then).
        yield found[0], "utf-8" if codec.startswith("utf-16") else codec
