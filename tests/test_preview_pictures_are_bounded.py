"""lib.previews: only raster pictures of known formats, bounded before decoding, always
written back as a WebP no larger than asked."""

import io
import struct
import zlib

from PIL import Image

from linkhome.lib.previews import PreviewLimits, is_raster_mime, pdf_first_page, small_picture
from linkhome.testing.images import png


def huge_png_header(width: int, height: int) -> bytes:
    """A PNG that claims to be enormous; its pixels are never there."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IEND", b"")


def size_of(data: bytes) -> tuple[str, tuple[int, int]]:
    with Image.open(io.BytesIO(data)) as image:
        return image.format, image.size


def test_a_picture_is_scaled_down_to_a_webp():
    assert size_of(small_picture(png(1000, 500), PreviewLimits(max_side=200))) == (
        "WEBP",
        (200, 100),
    )


def test_a_picture_claiming_too_many_pixels_is_not_decoded():
    assert small_picture(huge_png_header(20_000, 20_000)) is None


def test_small_pictures_are_no_preview_unless_asked():
    assert small_picture(png(64, 64)) is None
    assert small_picture(png(64, 64), PreviewLimits(min_width=1, min_height=1)) is not None


def test_svg_broken_and_other_bytes_are_refused():
    svg = b'<svg xmlns="http://www.w3.org/2000/svg" width="900" height="900"></svg>'
    assert small_picture(svg) is None
    assert small_picture(png(800, 600)[:200]) is None
    assert small_picture(b"<html>not a picture</html>") is None
    assert pdf_first_page(b"%PDF-1.4 broken") is None


def test_the_first_frame_of_an_animated_gif():
    frames = [Image.new("RGB", (400, 300), colour) for colour in ("red", "blue")]
    out = io.BytesIO()
    frames[0].save(out, format="GIF", save_all=True, append_images=frames[1:])
    picture = small_picture(out.getvalue())
    with Image.open(io.BytesIO(picture)) as image:
        assert image.convert("RGB").getpixel((10, 10))[0] > 200  # red, the first frame


def test_only_raster_types_are_shown_in_lists():
    assert is_raster_mime("image/png") and is_raster_mime("image/x-icon; charset=binary")
    assert not is_raster_mime("image/svg+xml") and not is_raster_mime("text/html")
