"""What the bytes say by themselves: UTF-16's NUL pattern, valid UTF-8, ISO-2022 escapes."""

from __future__ import annotations

_UTF16_SAMPLE = 4096
_ISO2022_ESCAPES = (b"\x1b$", b"\x1b(", b"\x1b.")
_ENCODED_REPLACEMENT = "\ufffd".encode()
_UTF8_VALID_PER_INVALID = 4
# A lenient reading keeps at least this many good non-ASCII characters per bad sequence:
# isolated faults, not a page that is mostly errors (a wrong multibyte codec errs every few
# characters). A guessed codec must show it on many characters; a declared one, the page's own
# word, is held to the same ratio as UTF-8 (a tiny page of four kana and one stray byte).
_GUESSED_VALID_PER_INVALID = 50
DECLARED_VALID_PER_INVALID = _UTF8_VALID_PER_INVALID


def utf16_order(body: bytes) -> str | None:
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


def strict(body: bytes, codec: str) -> str | None:
    try:
        return body.decode(codec)
    except (UnicodeDecodeError, LookupError):
        return None


def lenient(
    body: bytes, codec: str, valid_per_invalid: int = _GUESSED_VALID_PER_INVALID
) -> str | None:
    """The text in `codec` when every byte decodes or the bad sequences are isolated: each
    becomes U+FFFD, as a browser shows it, and the rest of the page stays readable.

    One stray byte (a body cut mid-character at the size limit, a character pasted from
    another charset) must not throw a whole GBK page over to a wrong charset or to U+FFFD
    soup. A wrong codec is told apart elsewhere (verify._agrees, the detector's scores); the
    bound here only keeps readings that are mostly errors out.
    """
    text = strict(body, codec)
    if text is not None:
        return text
    try:
        text = body.decode(codec, "replace")
    except LookupError:
        return None
    invalid = text.count("\ufffd") - _encoded_replacements(body, codec)
    non_ascii = len(text) - len(text.encode("ascii", "ignore")) - invalid
    return text if non_ascii >= valid_per_invalid * invalid else None


def without_faults(text: str, codec: str) -> bytes:
    """`text` (a lenient reading) in `codec` again, its bad sequences left out, so that a
    detector can score the reading at all, and on its good text alone (a U+FFFD counts as
    mess and would hand a tie to a wrong single-byte reading)."""
    return text.replace("\ufffd", "").encode(codec, "replace")


def _encoded_replacements(body: bytes, codec: str) -> int:
    try:
        return body.count("\ufffd".encode(codec))
    except UnicodeError:
        return 0


def utf8_text(body: bytes) -> str | None:
    """The text when the bytes are UTF-8 (ASCII included), else None.

    A few invalid sequences (a body cut at the size limit, one latin1 byte in a footer) do not
    make a UTF-8 page legacy: they become U+FFFD as in a browser. Legacy CJK or Latin text read
    as UTF-8 has at most 0.43 valid non-ASCII characters per invalid sequence in the chardet
    corpus, so requiring four is a wide margin. ISO-2022 text is 7-bit, hence valid UTF-8: its
    escape sequences rule UTF-8 out.
    """
    if has_iso2022_escapes(body):
        return None
    text = body.decode("utf-8", "replace")
    invalid = text.count("\ufffd") - body.count(_ENCODED_REPLACEMENT)
    valid = len(text) - len(text.encode("ascii", "ignore")) - invalid
    return text if valid >= _UTF8_VALID_PER_INVALID * invalid else None


def has_iso2022_escapes(body: bytes) -> bool:
    return any(escape in body for escape in _ISO2022_ESCAPES)
