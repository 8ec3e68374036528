"""Content-Encoding decoding that a compression bomb cannot blow up.

httpx's own decoders inflate a whole network chunk at once, and 64 KB of gzip can hold
64 MB of zeros. Here every stage emits output in blocks of at most BLOCK bytes (zlib's
`max_length`, brotli's `output_buffer_limit`) and the decoded size is counted after each
block, so decoding stops just past `max_body` whatever the compression ratio.
"""

from __future__ import annotations

import zlib
from collections.abc import Iterator
from typing import Protocol

from .models import FetchError, human_size

try:  # brotli is optional; only versions with bounded output (1.2+) are safe to use
    import brotli

    HAS_BROTLI = hasattr(brotli.Decompressor, "can_accept_more_data")
except ImportError:  # pragma: no cover - depends on the environment
    HAS_BROTLI = False

BLOCK = 64 * 1024
ACCEPT_ENCODING = "gzip, deflate, br" if HAS_BROTLI else "gzip, deflate"
_GZIP_MAGIC = b"\x1f\x8b"
_CORRUPT = (zlib.error, brotli.error) if HAS_BROTLI else (zlib.error,)


class _Stage(Protocol):
    def process(self, data: bytes) -> Iterator[bytes]: ...


class _ZlibStage:
    """gzip (wbits 31) or deflate; several gzip members in a row are decoded in turn."""

    def __init__(self, wbits: int) -> None:
        self._wbits = wbits
        self._inflater = zlib.decompressobj(wbits)

    def process(self, data: bytes) -> Iterator[bytes]:
        while True:
            if self._inflater.eof and not self._next_member(data):
                return  # trailing padding after the stream: ignored, as gzip(1) does
            block = self._inflater.decompress(data, BLOCK)
            yield block
            data = self._inflater.unconsumed_tail or self._inflater.unused_data
            if not data and len(block) < BLOCK:  # a full block may leave output pending
                return

    def _next_member(self, data: bytes) -> bool:
        if self._wbits != 31 or not data.startswith(_GZIP_MAGIC):
            return False
        self._inflater = zlib.decompressobj(self._wbits)
        return True


class _DeflateStage:
    """HTTP "deflate" is meant to be zlib-wrapped, but many servers send raw deflate."""

    def __init__(self) -> None:
        self._head = b""
        self._inner: _ZlibStage | None = None

    def process(self, data: bytes) -> Iterator[bytes]:
        if self._inner is None:
            self._head += data
            if len(self._head) < 2:
                return
            data, wrapped = self._head, int.from_bytes(self._head[:2], "big") % 31 == 0
            self._inner = _ZlibStage(15 if wrapped and data[0] & 0x0F == 8 else -15)
        yield from self._inner.process(data)


class _BrotliStage:
    def __init__(self) -> None:
        self._decompressor = brotli.Decompressor()

    def process(self, data: bytes) -> Iterator[bytes]:
        yield self._decompressor.process(data, output_buffer_limit=BLOCK)
        while not self._decompressor.can_accept_more_data():
            yield self._decompressor.process(b"", output_buffer_limit=BLOCK)


def _stage(coding: str) -> _Stage:
    if coding in ("gzip", "x-gzip"):
        return _ZlibStage(31)
    if coding == "deflate":
        return _DeflateStage()
    if coding == "br" and HAS_BROTLI:
        return _BrotliStage()
    message = f"The server compressed the page with {coding!r}, which LinkHome cannot decode."
    raise FetchError("decoding", message)


class BodyDecoder:
    """Undo a Content-Encoding header's codings incrementally, stopping past `max_body`."""

    def __init__(self, content_encoding: str | None, max_body: int) -> None:
        codings = [c.strip().lower() for c in (content_encoding or "").split(",")]
        codings = [c for c in codings if c and c != "identity"]
        self._stages = [_stage(c) for c in reversed(codings)]  # applied last, undone first
        self._codings = ", ".join(codings)
        self._max_body = max_body
        self._parts: list[bytes] = []
        self._size = 0

    @property
    def identity(self) -> bool:
        """True when the body is not encoded (the raw bytes are the body)."""
        return not self._stages

    def feed(self, data: bytes) -> None:
        try:
            self._push(data, 0)
        except _CORRUPT as exc:
            raise self._corrupt(exc) from None

    def result(self) -> bytes:
        return b"".join(self._parts)

    def _push(self, data: bytes, level: int) -> None:
        if level == len(self._stages):
            self._collect(data)
            return
        for block in self._stages[level].process(data):
            if block:
                self._push(block, level + 1)

    def _collect(self, block: bytes) -> None:
        self._size += len(block)
        if self._size > self._max_body:
            limit = human_size(self._max_body)
            message = f"The page expands to more than the {limit} limit once decompressed."
            raise FetchError("too_large", message)
        self._parts.append(block)

    def _corrupt(self, exc: Exception) -> FetchError:
        return FetchError("decoding", f"The {self._codings} compressed body is corrupt ({exc}).")
