"""Decode fetched bytes to text: decide the charset the way a careful browser would.

Order of evidence:
1. a BOM: in-band and decisive (the WHATWG decode algorithm also puts it before the header);
2. UTF-8: bytes that are (almost all) valid UTF-8 with non-ASCII are UTF-8 whatever is
   declared, since transcoded copies keep their old gb2312 meta (see ``verify.as_utf8``);
3. the declarations, HTTP header first, then the XML declaration or ``<meta>`` in the first
   4 KB, each used only if the bytes bear it out (see ``verify.as_declared``): servers send
   ISO-8859-1 by default whatever the page is;
4. detection: UTF-16's NUL pattern, then charset-normalizer over the page's non-ASCII text;
5. UTF-8 with replacement characters.
Labels are widened as browsers widen them (WHATWG Encoding Standard): gb2312/gbk -> gb18030,
big5 -> big5hkscs, shift_jis -> cp932, euc-kr -> cp949, latin1/ascii -> cp1252.

The raw bytes stay in the WARC: this package only decides how to read them, and never raises,
whatever the bytes. Pure functions: no Django here.

Modules: labels.py (label -> codec), declared.py and meta.py (BOM, header, XML declaration,
<meta>), sniff.py (what the bytes say by themselves), detect.py (charset-normalizer),
verify.py (declarations weighed against the bytes), rewrite.py (the stored copy's UTF-8 meta).
"""

from __future__ import annotations

from .declared import declarations, from_bom
from .decoded import Decoded
from .detect import detect, detector
from .labels import normalize_label, web_label
from .rewrite import rewrite_meta_charset
from .verify import as_declared, as_utf8

__all__ = [
    "Decoded",
    "decode_document",
    "normalize_label",
    "rewrite_meta_charset",
    "web_label",
]


def decode_document(body: bytes, header_charset: str | None = None) -> Decoded:
    """Decode a fetched document; header_charset is the Content-Type charset parameter."""
    if not body:
        return Decoded("", "utf-8", "fallback")
    declared = list(declarations(body, header_charset))
    known = from_bom(body) or as_utf8(body, declared)
    if known:
        return known
    matches = detector(body)
    return as_declared(body, declared, matches) or detect(body, matches)
