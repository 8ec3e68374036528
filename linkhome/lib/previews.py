"""Small preview pictures for lists: a raster image scaled down, or a PDF's first page.

Only PNG, JPEG, GIF and WebP are read (never SVG: a capture's SVG can carry script and is
never served as a picture on the app's origin), each bounded before it is decoded, and the
result is always a WebP LinkHome wrote itself, so what is served is exactly what it says.
No Django: the caller passes the limits.
"""

import io
from dataclasses import dataclass

PREVIEW_MIME = "image/webp"
RASTER_FORMATS = frozenset({"PNG", "JPEG", "GIF", "WEBP"})
RASTER_MIMES = frozenset(
    {
        "image/png",
        "image/jpeg",
        "image/gif",
        "image/webp",
        "image/x-icon",
        "image/vnd.microsoft.icon",
    }
)


@dataclass(frozen=True)
class PreviewLimits:
    max_side: int = 480  # the longest side of the stored preview, in pixels
    max_source_pixels: int = 40_000_000  # a larger picture is not decoded at all
    min_width: int = 200  # smaller pictures (icons, spacers, buttons) are no preview
    min_height: int = 100
    quality: int = 75


def is_raster_mime(mime: str) -> bool:
    """A type a list may show as a picture from the app's origin (no SVG, no HTML)."""
    return mime.split(";", 1)[0].strip().lower() in RASTER_MIMES


def small_picture(data: bytes, limits: PreviewLimits = PreviewLimits()) -> bytes | None:
    """`data` as a WebP no larger than `max_side`, or None when it is not a raster picture
    of a known format, too small to be a preview, too large to decode, or broken."""
    from PIL import Image  # imported here: only captures with pictures pay for it

    try:
        with Image.open(io.BytesIO(data)) as image:
            if image.format not in RASTER_FORMATS:
                return None
            width, height = image.size
            if width * height > limits.max_source_pixels:
                return None
            if width < limits.min_width or height < limits.min_height:
                return None
            image.draft("RGB", (limits.max_side, limits.max_side))  # JPEG: decode smaller
            image.seek(0)  # an animated GIF or WebP: its first frame
            return _webp(image, limits)
    except Exception:  # damaged or truncated bytes, a decoder's refusal: no preview
        return None


def pdf_first_page(data: bytes, limits: PreviewLimits = PreviewLimits()) -> bytes | None:
    """The first page of a PDF rendered small (PDFium), as a WebP; None when it cannot be."""
    import pypdfium2 as pdfium  # imported here: only PDF captures pay for it

    try:
        document = pdfium.PdfDocument(data)
    except Exception:
        return None
    try:
        if len(document) == 0:
            return None
        page = document[0]
        width, height = page.get_size()  # points
        if width <= 0 or height <= 0:
            return None
        scale = min(limits.max_side / max(width, height), 2.0)
        bitmap = page.render(scale=scale)
        image = bitmap.to_pil()
        return _webp(image, limits)
    except Exception:
        return None
    finally:
        document.close()


def _webp(image: object, limits: PreviewLimits) -> bytes:
    from PIL import Image

    assert isinstance(image, Image.Image)
    picture = image.convert("RGBA" if image.mode in ("RGBA", "LA", "P") else "RGB")
    picture.thumbnail((limits.max_side, limits.max_side))
    out = io.BytesIO()
    picture.save(out, format="WEBP", quality=limits.quality)
    return out.getvalue()
