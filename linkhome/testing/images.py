"""Real PNG files made on the spot, for tests and benchmarks. No Django."""

import struct
import zlib


def png(width: int, height: int, seed: int = 1) -> bytes:
    """A valid RGB PNG whose pixels vary, so it does not compress to almost nothing."""
    rows = b"".join(
        b"\x00" + bytes((x * seed + y * 7 + x * y) % 256 for x in range(width * 3))
        for y in range(height)
    )
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + _chunk(b"IHDR", header)
        + _chunk(b"IDAT", zlib.compress(rows))
        + _chunk(b"IEND", b"")
    )


def _chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
