"""Draw LinkHome's favicon and app icons: the logo (linkhome/web/static/web/logo.svg, a blue
tile with a white house and a chain link) as a 32x32 PNG inside an ICO, or as a PNG of any
size (the web app manifest's 192 and 512 px icons), with no imaging library: each pixel is
sampled 4x4 against the logo's shapes, drawn on the logo's own 32-unit grid.

Usage: python scripts/make_favicon.py linkhome/web/static/web/favicon.ico
       python scripts/make_favicon.py linkhome/web/static/web/icon-192.png 192
       python scripts/make_favicon.py linkhome/web/static/web/icon-512.png 512
"""

import struct
import sys
import zlib
from pathlib import Path

SIZE = 32
SAMPLES = 4
BLUE, WHITE = (37, 99, 235), (255, 255, 255)
CORNER = 7  # the tile's corner radius, as in logo.svg
HOUSE = [(16, 5), (4.5, 15), (8, 15), (8, 26), (24, 26), (24, 15), (27.5, 15)]
RINGS = [(12.5, 20.5), (19.5, 17.5)]  # the two links of the chain, cut out of the house


def in_tile(x: float, y: float) -> bool:
    cx = min(max(x, CORNER), SIZE - CORNER)
    cy = min(max(y, CORNER), SIZE - CORNER)
    return (x - cx) ** 2 + (y - cy) ** 2 <= CORNER**2


def in_polygon(x: float, y: float, points: list[tuple[float, float]]) -> bool:
    inside = False
    for (x1, y1), (x2, y2) in zip(points, points[-1:] + points[:-1], strict=True):
        if (y1 > y) != (y2 > y) and x < (x2 - x1) * (y - y1) / (y2 - y1) + x1:
            inside = not inside
    return inside


def on_ring(x: float, y: float) -> bool:
    return any(2.0 <= ((x - cx) ** 2 + (y - cy) ** 2) ** 0.5 <= 3.6 for cx, cy in RINGS)


def colour(x: float, y: float) -> tuple[int, int, int] | None:
    if not in_tile(x, y):
        return None
    return WHITE if in_polygon(x, y, HOUSE) and not on_ring(x, y) else BLUE


def pixel(px: int, py: int, scale: float = 1.0) -> bytes:
    """Pixel (px, py) of an image `scale` times the logo's 32 units."""
    hits = [
        colour((px + (sx + 0.5) / SAMPLES) / scale, (py + (sy + 0.5) / SAMPLES) / scale)
        for sy in range(SAMPLES)
        for sx in range(SAMPLES)
    ]
    drawn = [c for c in hits if c]
    if not drawn:
        return bytes(4)
    rgb = [sum(c[i] for c in drawn) // len(drawn) for i in range(3)]
    return bytes([*rgb, 255 * len(drawn) // len(hits)])


def chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def png(size: int = SIZE) -> bytes:
    scale = size / SIZE
    rows = b"".join(
        b"\x00" + b"".join(pixel(px, py, scale) for px in range(size)) for py in range(size)
    )
    header = struct.pack(">IIBBBBB", size, size, 8, 6, 0, 0, 0)  # 8-bit RGBA
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(rows, 9))
        + chunk(b"IEND", b"")
    )


def ico(image: bytes) -> bytes:
    entry = struct.pack("<BBBBHHII", SIZE, SIZE, 0, 0, 1, 32, len(image), 6 + 16)
    return struct.pack("<HHH", 0, 1, 1) + entry + image


if __name__ == "__main__":
    target = Path(sys.argv[1])
    if target.suffix == ".ico":
        target.write_bytes(ico(png()))
    else:
        target.write_bytes(png(int(sys.argv[2]) if len(sys.argv) > 2 else SIZE))
