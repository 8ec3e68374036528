"""Charset labels: map a declared label to the Python codec a browser would decode with.

Labels are widened as browsers widen them (WHATWG Encoding Standard).
"""

from __future__ import annotations

import codecs

import webencodings
from charset_normalizer.constant import IANA_SUPPORTED

# Browsers decode the narrow legacy charsets with their supersets: pages labelled gb2312 use
# GBK-only characters (镕, 喆), big5 pages use HKSCS characters, and so on. Keyed by the
# codecs.lookup() name; webencodings already widens big5, shift_jis and euc-kr itself.
_WIDER = {
    "gb2312": "gb18030",
    "gbk": "gb18030",
    "big5": "big5hkscs",
    "shift_jis": "cp932",
    "euc_kr": "cp949",
    "ascii": "cp1252",
    "iso8859-1": "cp1252",
    "iso8859-9": "cp1254",
    "tis-620": "cp874",
    "iso8859-11": "cp874",
}
# WHATWG names that are no charset of a document's bytes.
_NOT_A_CHARSET = frozenset({"replacement", "x-user-defined"})
_ASCII_PROBE = '<meta charset="x">\t\r\n'


def widen(codec: str) -> str:
    name = codecs.lookup(codec).name
    return _WIDER.get(name, name)


def _ascii_compatible(codec: str) -> bool:
    try:
        return _ASCII_PROBE.encode(codec) == _ASCII_PROBE.encode("ascii")
    except (LookupError, UnicodeError):
        return False


# Labels outside the WHATWG table that still name a real document charset Python can decode
# (johab, iso-2022-kr, cp936, shift_jis_2004...). UTF-7 is refused as browsers refuse it (it
# smuggles markup past filters); UTF-16/32 and EBCDIC are not ASCII-compatible, so a label
# naming them cannot have been read from the document's bytes as ASCII.
_PYTHON_ONLY = frozenset(
    codecs.lookup(name).name
    for name in IANA_SUPPORTED
    if name != "utf_7" and _ascii_compatible(name)
)


def normalize_label(label: str) -> str | None:
    """Map a charset label to the Python codec a browser would decode with, or None."""
    label = label.strip().strip("\"'").strip()
    encoding = webencodings.lookup(label)
    if encoding is not None and encoding.name not in _NOT_A_CHARSET:
        return widen(encoding.codec_info.name)
    try:
        name = codecs.lookup(label).name
    except LookupError:
        return None
    return widen(name) if name in _PYTHON_ONLY else None


def _web_labels() -> dict[str, str]:
    """Python codec -> the WHATWG name of the encoding a browser decodes it with.

    The inverse of normalize_label over the WHATWG table; a codec the table reaches only by
    widening (gb18030 from gbk) keeps the name whose own codec it is.
    """
    names: dict[str, str] = {}
    for label in webencodings.LABELS:
        encoding = webencodings.lookup(label)
        codec = normalize_label(label)
        if encoding is None or codec is None or encoding.name in _NOT_A_CHARSET:
            continue
        exact = codecs.lookup(encoding.codec_info.name).name == codec
        if exact or codec not in names:
            names[codec] = encoding.name.lower()
    return names


_WEB_LABELS = _web_labels()


def web_label(codec: str) -> str | None:
    """The charset label that makes a browser read bytes as `codec` does, or None when no
    browser knows the codec (johab, iso-2022-kr)."""
    return _WEB_LABELS.get(codecs.lookup(codec).name)
