"""Decode fetched bytes to text: decide the charset the way a careful browser would.

Order of evidence:
1. a BOM: in-band and decisive (the WHATWG decode algorithm also puts it before the header);
2. UTF-8: bytes that are (almost all) valid UTF-8 with non-ASCII are UTF-8 whatever is
   declared, since transcoded copies keep their old gb2312 meta (see ``_as_utf8``);
3. the declarations, HTTP header first, then the XML declaration or ``<meta>`` in the first
   4 KB, each used only if the bytes bear it out (see ``_verified``): servers send
   ISO-8859-1 by default whatever the page is;
4. detection: UTF-16's NUL pattern, then charset-normalizer over the page's non-ASCII text;
5. UTF-8 with replacement characters.
Labels are widened as browsers widen them (WHATWG Encoding Standard): gb2312/gbk -> gb18030,
big5 -> big5hkscs, shift_jis -> cp932, euc-kr -> cp949, latin1/ascii -> cp1252.

The raw bytes stay in the WARC: this module only decides how to read them, and never raises,
whatever the bytes. Pure functions: no Django here.
"""

from __future__ import annotations

import codecs
import re
from collections.abc import Iterator
from dataclasses import dataclass

import webencodings
from charset_normalizer import CharsetMatch, CharsetMatches, from_bytes
from charset_normalizer.constant import IANA_SUPPORTED

__all__ = ["Decoded", "decode_document", "normalize_label", "rewrite_meta_charset"]


@dataclass(frozen=True)
class Decoded:
    text: str  # the decoded document, without its BOM
    charset: str  # Python codec name actually used, e.g. "gb18030", "utf-8", "cp1252"
    source: str  # "http-header" | "bom" | "meta" | "xml-declaration" | "detected" | "fallback"


# --- labels -------------------------------------------------------------------------------

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


def _widen(codec: str) -> str:
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
        return _widen(encoding.codec_info.name)
    try:
        name = codecs.lookup(label).name
    except LookupError:
        return None
    return _widen(name) if name in _PYTHON_ONLY else None


# --- BOM and declarations in the bytes ---------------------------------------------------

_BOMS = (
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
)
_PRESCAN_BYTES = 4096
_XML_DECLARATION = re.compile(r"""\s*<\?xml\s[^>]*?encoding\s*=\s*["']?\s*([\w.:-]+)""", re.I)
# Comments are matched too, so that a <meta> inside a comment is skipped as the WHATWG
# prescan skips it.
_META_OR_COMMENT = re.compile(r"<!--.*?-->|<meta[\s/][^>]*>", re.I | re.S)
_ATTRIBUTE = re.compile(r"""([^\s"'>/=]+)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'>/]+)))?""")
_CONTENT_CHARSET = re.compile(r"""charset\s*=\s*["']?\s*([^\s"';]+)""", re.I)


def _from_bom(body: bytes) -> Decoded | None:
    for bom, codec in _BOMS:
        if body.startswith(bom):
            return Decoded(body[len(bom) :].decode(codec, "replace"), codec, "bom")
    return None


def _attributes(tag: re.Match[str]) -> dict[str, tuple[int, int]]:
    """Attribute name -> span of its value in the document; the first of a name wins.

    Attributes without a value declare nothing and are left out.
    """
    spans: dict[str, tuple[int, int]] = {}
    for found in _ATTRIBUTE.finditer(tag.string, tag.start() + len("<meta"), tag.end() - 1):
        group = next((g for g in (2, 3, 4) if found[g] is not None), 0)
        if group:
            spans.setdefault(found[1].lower(), found.span(group))
    return spans


def _declared_span(tag: re.Match[str]) -> tuple[int, int] | None:
    """Span of the charset a <meta> declares: its charset attribute, or the charset in the
    content of an http-equiv="content-type" (the WHATWG prescan rule; a description that
    mentions "charset=" declares nothing)."""
    spans, html = _attributes(tag), tag.string
    if "charset" in spans:
        return spans["charset"]
    pragma = spans.get("http-equiv")
    if (
        "content" not in spans
        or not pragma
        or html[slice(*pragma)].strip().lower() != "content-type"
    ):
        return None
    found = _CONTENT_CHARSET.search(html, *spans["content"])
    return found.span(1) if found else None


def _meta_charset_spans(html: str, end: int) -> Iterator[tuple[int, int]]:
    for tag in _META_OR_COMMENT.finditer(html, 0, end):
        span = None if tag[0].startswith("<!--") else _declared_span(tag)
        if span:
            yield span


def _in_document_label(body: bytes) -> tuple[str, str] | None:
    # latin-1 maps each byte to one character, so the ASCII markup reads the same in any
    # ASCII-compatible charset and the str patterns serve bytes and decoded text alike.
    head = body[:_PRESCAN_BYTES].decode("latin-1")
    xml = _XML_DECLARATION.match(head)
    if xml:
        return "xml-declaration", xml[1]
    span = next(_meta_charset_spans(head, len(head)), None)
    return ("meta", head[slice(*span)]) if span else None


def _declarations(body: bytes, header_charset: str | None) -> Iterator[tuple[str, str]]:
    """(source, codec) pairs, most authoritative first; unknown labels are dropped."""
    header = normalize_label(header_charset) if header_charset else None
    if header:
        yield "http-header", header
    found = _in_document_label(body)
    codec = normalize_label(found[1]) if found else None
    if found and codec:
        # A label read from the bytes as ASCII cannot be UTF-16 (WHATWG: use UTF-8 then).
        yield found[0], "utf-8" if codec.startswith("utf-16") else codec


# --- what the bytes say by themselves ----------------------------------------------------

_UTF16_SAMPLE = 4096
_ISO2022_ESCAPES = (b"\x1b$", b"\x1b(", b"\x1b.")
_ENCODED_REPLACEMENT = "\ufffd".encode()
_UTF8_VALID_PER_INVALID = 4


def _utf16_order(body: bytes) -> str | None:
    """utf-16-be/-le when the bytes have UTF-16's NUL pattern, else None.

    Text in UTF-16 has a NUL in the high byte of every ASCII character (markup, spaces,
    newlines): so NULs gather at even offsets (big-endian) or odd ones (little-endian). ASCII-
    compatible text has almost none, and a stray NUL or two in a page does not reach 2 %.
    """
    sample = body[:_UTF16_SAMPLE]
    even, odd = sample[0::2].count(0), sample[1::2].count(0)
    if max(even, odd) < max(4, len(sample) // 50) or min(even, odd) * 8 > max(even, odd):
        return None
    return "utf-16-be" if even > odd else "utf-16-le"


def _strict(body: bytes, codec: str) -> str | None:
    try:
        return body.decode(codec)
    except (UnicodeDecodeError, LookupError):
        return None


def _utf8_text(body: bytes) -> str | None:
    """The text when the bytes are UTF-8 (ASCII included), else None.

    A few invalid sequences (a body cut at the size limit, one latin1 byte in a footer) do not
    make a UTF-8 page legacy: they become U+FFFD as in a browser. Legacy CJK or Latin text read
    as UTF-8 has at most 0.43 valid non-ASCII characters per invalid sequence in the chardet
    corpus, so requiring four is a wide margin. ISO-2022 text is 7-bit, hence valid UTF-8: its
    escape sequences rule UTF-8 out.
    """
    if _has_iso2022_escapes(body):
        return None
    text = body.decode("utf-8", "replace")
    invalid = text.count("\ufffd") - body.count(_ENCODED_REPLACEMENT)
    valid = len(text) - len(text.encode("ascii", "ignore")) - invalid
    return text if valid >= _UTF8_VALID_PER_INVALID * invalid else None


# --- detection (charset-normalizer) ------------------------------------------------------

# What a browser's detector may guess (Firefox's chardetng set) plus the legacy Korean
# encodings Python can read. Exotic code pages (hp_roman8, cp775, mac_*) fit short Latin texts
# as well as windows-1252 does and were never page charsets, so they are not candidates.
# UTF-16 is left to _utf16_order: any byte pairs decode as UTF-16, so guessing it from
# statistics turns legacy CJK into mojibake.
# fmt: off
_CANDIDATES = [
    "cp1252", "cp1250", "cp1251", "cp1253", "cp1254", "cp1255", "cp1256", "cp1257", "cp1258",
    "cp874", "iso8859_2", "iso8859_4", "iso8859_5", "iso8859_6", "iso8859_7", "iso8859_8",
    "iso8859_13", "koi8_r", "koi8_u", "cp866",
    "gb18030", "big5hkscs", "cp932", "euc_jp", "iso2022_jp", "cp949", "johab", "iso2022_kr",
]
# fmt: on
# charset-normalizer drops readings messier than this; its default, 0.2, drops right readings
# of symbol-heavy text (cp932 "＿|￣|○" art, Big5 names), and any reading beats U+FFFD.
_DETECTOR_THRESHOLD = 1.0
# Ties between readings go to the charset most used on the web (windows-1252 is also what
# latin1 and ascii labels mean), Chinese first among the CJK ones for this platform's users.
_PRIOR = ["cp1252", "gb18030", "big5hkscs", "cp932", "euc_jp", "cp949", "cp1251", "cp1250"]
_SAMPLE_BYTES = 65536
_PIECE = re.compile(rb'[^\n<>"]+')


@dataclass(frozen=True)
class _Reading:
    codec: str
    text: str


def _text_sample(body: bytes) -> bytes:
    """The pieces of text that hold non-ASCII bytes, about the first 64 KB of them.

    Markup, scripts and styles are ASCII: left in, they dilute every reading's scores until a
    wrong reading of a page's few lines of text looks as clean as the right one (and a
    minified page is one long line). The cuts fall on newline, <, > and ", bytes below 0x40
    that no legacy charset uses inside a multibyte character, so every piece decodes whole.
    """
    if _has_iso2022_escapes(body):
        # 7-bit, and shift states span pieces: only whole lines from the top decode.
        return body[: body.rfind(b"\n", 0, _SAMPLE_BYTES) + 1 or _SAMPLE_BYTES]
    pieces, size = [], 0
    for found in _PIECE.finditer(body):
        if not found[0].isascii():
            pieces.append(found[0])
            size += len(found[0])
            if size >= _SAMPLE_BYTES:
                break
    return b"\n".join(pieces)


def _detector(body: bytes) -> CharsetMatches:
    return _analyse(_text_sample(body), _CANDIDATES)


def _analyse(sample: bytes, candidates: list[str]) -> CharsetMatches:
    """charset-normalizer over the whole sample at once.

    Its default, five chunks of 512 bytes, lets one odd chunk (a title in ☆˚。★ symbols) decide
    the mean; the sample is at most ~64 KB, cheap to score whole.
    """
    return from_bytes(
        sample,
        steps=1,
        chunk_size=max(len(sample), 1),
        cp_isolation=candidates,
        threshold=_DETECTOR_THRESHOLD,
        preemptive_behaviour=False,  # declarations are weighed outside the detector
    )


def _prior(codec: str) -> int:
    return _PRIOR.index(codec) if codec in _PRIOR else len(_PRIOR)


def _codecs_of(match: CharsetMatch) -> list[str]:
    """The codecs that give this match's text, widened, most common on the web first."""
    return sorted(dict.fromkeys(_widen(c) for c in match.could_be_from_charset), key=_prior)


def _by_preference(matches: CharsetMatches) -> list[CharsetMatch]:
    """The detector's ranking, with ties broken by how common each charset is.

    Short texts read equally well in several code pages (Latin text as cp1250, cp1252 or
    cp1258; "Привет" as cp1250 or cp1251), and charset-normalizer then ranks by name. A tie
    (chaos within 0.005, as charset-normalizer counts one, and coherence within 0.1) goes to
    the commoner charset instead.
    """
    ranked = list(matches)
    if not ranked:
        return ranked
    top = ranked[0]
    tied = [
        m
        for m in ranked
        if abs(m.chaos - top.chaos) <= 0.005 and abs(m.coherence - top.coherence) <= 0.1
    ]
    tied.sort(key=lambda m: _prior(_codecs_of(m)[0]))
    return tied + [m for m in ranked if m not in tied]


def _read(body: bytes, match: CharsetMatch) -> _Reading | None:
    """The match's reading of the whole body, widened if the wider codec accepts the bytes.

    The detector reads a sample; a reading counts only if every byte of the body decodes.
    """
    narrow = codecs.lookup(match.encoding).name
    for codec in dict.fromkeys([*_codecs_of(match), narrow]):
        text = _strict(body, codec)
        if text is not None:
            return _Reading(codec, text)
    return None


def _best_reading(body: bytes, matches: CharsetMatches) -> _Reading | None:
    for match in _by_preference(matches):
        reading = _read(body, match)
        if reading is not None:
            return reading
    return None


def _detect(body: bytes, matches: CharsetMatches) -> Decoded:
    order = _utf16_order(body)
    if order:  # the NUL pattern is strong evidence: a cut last byte becomes U+FFFD
        return Decoded(body.decode(order, "replace"), order, "detected")
    best = _best_reading(body, matches)
    if best is not None:
        return Decoded(best.text, best.codec, "detected")
    return Decoded(body.decode("utf-8", "replace"), "utf-8", "fallback")


# --- declared charsets, verified ---------------------------------------------------------

# How much better another reading must score before it overrides a declaration (the
# declaration is evidence too). Measured on the text samples of the chardet corpus, over 804
# (file, wrong codec) pairs where the wrong codec decodes the bytes without error: 792 wrong
# readings are at least 0.032 more chaotic (26 of them by less than 0.1), 3 are as clean but
# at least 0.69 less coherent, and 9 cannot be told apart (cp1250 vs cp1252 on Latin text with
# a few accents; two EUC-JP files of one sentence). No wrong reading ever scored better than
# the right one, so the margins only guard against noise.
_CHAOS_MARGIN = 0.03
_COHERENCE_MARGIN = 0.2


@dataclass(frozen=True)
class _Score:
    chaos: float  # charset-normalizer's mess ratio: 0 is clean text
    coherence: float  # how well letter frequencies fit a language: 1 is a perfect fit


def _score(sample: bytes, codec: str) -> _Score:
    # Each codec alone: the detector's ranking lists the declared codec only if it is a
    # candidate, and scores the narrow codec (big5) where the reading is the wide one.
    best = _analyse(sample, [codec]).best()
    return _Score(best.chaos, best.coherence) if best is not None else _Score(9.0, 0.0)


def _clearly_better(rival: _Score, own: _Score) -> bool:
    if rival.chaos + _CHAOS_MARGIN < own.chaos:
        return True
    similar = abs(rival.chaos - own.chaos) <= _CHAOS_MARGIN
    return similar and rival.coherence >= own.coherence + _COHERENCE_MARGIN


def _agrees(body: bytes, codec: str, text: str, matches: CharsetMatches) -> bool:
    """Whether the bytes bear out a declared codec that decoded them without error.

    Single-byte charsets decode any bytes, and GB18030/Big5-HKSCS decode almost any pair of
    high bytes, so a clean decode proves little: a "latin1" header over GBK bytes, or a gb2312
    meta over Big5 bytes, decodes without error into mojibake. So the declaration stands
    unless the detector's best reading is clearly better: less chaotic (GBK read as latin1 is
    a soup of accented letters and symbols; charset-normalizer is then confident of GB18030),
    or as clean but in a language's letter frequencies where the declared reading has none.
    """
    best = _best_reading(body, matches)
    if best is None or best.text == text:
        return True
    sample = _text_sample(body)
    return not _clearly_better(_score(sample, best.codec), _score(sample, codec))


def _has_iso2022_escapes(body: bytes) -> bool:
    return any(escape in body for escape in _ISO2022_ESCAPES)


def _verified(body: bytes, codec: str, matches: CharsetMatches) -> str | None:
    """The text in the declared codec, or None when the bytes say otherwise."""
    if codec.startswith("utf-16"):
        return body.decode(codec, "replace") if _utf16_order(body) == codec else None
    if codec == "utf-8" or _utf16_order(body):
        return None  # UTF-8 was settled before; NUL patterns are UTF-16, not this codec
    if _has_iso2022_escapes(body) and not codec.startswith("iso2022"):
        return None  # in any other charset its shift sequences are raw control characters
    text = _strict(body, codec)
    if text is None or text.isascii() or _agrees(body, codec, text, matches):
        return text
    return None


def _as_declared(
    body: bytes, declared: list[tuple[str, str]], matches: CharsetMatches
) -> Decoded | None:
    """The first declaration (header before document) that the bytes bear out."""
    for source, codec in declared:
        text = _verified(body, codec, matches)
        if text is not None:
            return Decoded(text, codec, source)
    return None


def _as_utf8(body: bytes, declared: list[tuple[str, str]]) -> Decoded | None:
    """Valid UTF-8 wins over any other declaration: legacy bytes that happen to form valid
    UTF-8 beyond a few characters are vanishingly rare, while pages that were transcoded to
    UTF-8 but kept their gb2312/euc-jp meta, or served with a default latin1 header, are common.
    Pure ASCII reads the same in every ASCII-compatible charset, so then the declaration stands.
    """
    text = _utf8_text(body) if not _utf16_order(body) else None
    if text is None:
        return None
    if text.isascii():
        ascii_ok = [(s, c) for s, c in declared if not c.startswith("utf-16")]
        source, codec = ascii_ok[0] if ascii_ok else ("detected", "utf-8")
        return Decoded(text, codec, source)
    sources = [s for s, c in declared if c == "utf-8"]
    return Decoded(text, "utf-8", sources[0] if sources else "detected")


def decode_document(body: bytes, header_charset: str | None = None) -> Decoded:
    """Decode a fetched document; header_charset is the Content-Type charset parameter."""
    if not body:
        return Decoded("", "utf-8", "fallback")
    declared = list(_declarations(body, header_charset))
    known = _from_bom(body) or _as_utf8(body, declared)
    if known:
        return known
    matches = _detector(body)
    return _as_declared(body, declared, matches) or _detect(body, matches)


# --- the stored copy declares UTF-8 ------------------------------------------------------

_HEAD_END = re.compile(r"</head\s*>|<body[\s>]", re.I)
_XML_ENCODING = re.compile(r"""\A(\ufeff?\s*<\?xml\s[^>]*?encoding\s*=\s*["']?\s*)([\w.:-]+)""")
_INSERT_AFTER = (
    re.compile(r"<head(?:\s[^>]*)?>", re.I),
    re.compile(r"<html(?:\s[^>]*)?>", re.I),
    re.compile(r"<!doctype[^>]*>", re.I),
)
_UTF8_META = '<meta charset="utf-8">'


def _charset_spans(html: str) -> list[tuple[int, int]]:
    """Spans of the charset values declared by <meta> tags in the head (comments skipped)."""
    end = _HEAD_END.search(html)
    return list(_meta_charset_spans(html, end.start() if end else len(html)))


def _replace_spans(html: str, spans: list[tuple[int, int]], value: str) -> str:
    for start, end in reversed(spans):
        html = html[:start] + value + html[end:]
    return html


def _insert_meta(html: str) -> str:
    # After <head>; else after <html> or the doctype (a tag before the doctype would put the
    # page in quirks mode); else at the very start.
    for anchor in _INSERT_AFTER:
        found = anchor.search(html)
        if found:
            return html[: found.end()] + _UTF8_META + html[found.end() :]
    return _UTF8_META + html


def rewrite_meta_charset(html: str) -> str:
    """Make decoded HTML declare UTF-8, leaving every other character as it was.

    Every charset declared by a <meta> in the head is rewritten, not only the first: a second,
    stale declaration would otherwise still contradict the stored bytes. A leading XML
    declaration is rewritten too: XML parsers, and some browsers even in HTML, read it.
    """
    html = _XML_ENCODING.sub(r"\1utf-8", html, count=1)
    spans = _charset_spans(html)
    return _replace_spans(html, spans, "utf-8") if spans else _insert_meta(html)
