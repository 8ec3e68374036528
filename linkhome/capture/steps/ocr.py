"""Text from pictures: image snapshots and the pages of scanned PDFs (no text layer) are read by
Tesseract (linkhome.lib.ocr) within the LINKHOME_OCR_* bounds. The text becomes the snapshot's
text (indexed like any page's by the worker's sequence) and the snapshot is marked `ocr`."""

import logging
from functools import lru_cache

from django.conf import settings
from django.utils.translation import gettext_noop

from linkhome.archive.artifacts import skip_artifact, store_artifact
from linkhome.archive.models import Artifact, ArtifactKind
from linkhome.capture.context import CaptureContext, StepFailed
from linkhome.lib import ocr

log = logging.getLogger("linkhome.capture")
# Stored in English, shown translated (web.templatetags.linkhome_tags.artifact_reason).
OCR_OFF = gettext_noop("OCR is turned off (LINKHOME_OCR=off): the image's text is not read")
# Images Tesseract reads through Pillow; SVG and icons are not pictures of text.
READABLE_IMAGES = frozenset(
    {"image/png", "image/jpeg", "image/gif", "image/webp", "image/tiff", "image/bmp"}
)


def limits() -> ocr.OcrLimits:
    return ocr.OcrLimits(
        languages=settings.OCR_LANGUAGES,
        max_pages=settings.OCR_MAX_PAGES,
        max_pixels=settings.OCR_MAX_PIXELS,
        timeout=settings.OCR_TIMEOUT,
        deadline=settings.OCR_DEADLINE,
        tesseract=settings.OCR_TESSERACT,
    )


def unavailable() -> str:
    """Why OCR will not run ("" when it will)."""
    if settings.OCR == "off":
        return OCR_OFF
    return _installed(limits())


@lru_cache(maxsize=4)
def _installed(current: ocr.OcrLimits) -> str:
    return ocr.available(current)


def read_image(ctx: CaptureContext) -> None:
    """An image snapshot's text, when its picture holds any."""
    why_not = unavailable()
    if why_not:
        skip_artifact(ctx.snapshot, ArtifactKind.TEXT, why_not)
        return
    try:
        result = ocr.ocr_image(ctx.page.final.body, limits(), settings.OCR_CONCURRENCY)
    except ocr.NotAnImage as exc:  # a damaged file is still kept; there is no text to read
        skip_artifact(ctx.snapshot, ArtifactKind.TEXT, f"OCR could not read the image: {exc}")
        return
    except (ocr.OcrFailed, ocr.OcrUnavailable) as exc:
        raise StepFailed(ArtifactKind.TEXT, f"OCR could not read the image: {exc}") from exc
    _keep(ctx, result.text, result.notes)


def read_scanned_pages(ctx: CaptureContext, texts: list[str]) -> tuple[list[str], list[str]]:
    """The PDF's page texts with its scanned pages (no text layer) read by OCR, and notes on
    what was left out. Unchanged when no page is scanned or OCR cannot run."""
    scanned = ocr.scanned_pages(texts)
    if not scanned:
        return texts, []
    why_not = unavailable()
    if why_not:
        return texts, [f"{len(scanned)} pages without a text layer not read: {why_not}"]
    body = ctx.page.final.body
    try:
        result = ocr.ocr_pdf(body, scanned, limits(), settings.OCR_CONCURRENCY)
    except Exception as exc:  # a page PDFium cannot render: the text layer is still kept
        return texts, [f"OCR could not read the scanned pages: {exc}"]
    # A page's few characters of text layer stay when OCR read nothing there (a font without
    # glyphs draws nothing); otherwise what OCR read follows them.
    merged = []
    for number, text in enumerate(texts):
        read = result.text_by_page.get(number, "")
        merged.append("\n".join(part for part in (text.strip(), read) if part))
        ctx.snapshot.ocr = ctx.snapshot.ocr or bool(read)
    return merged, result.notes


def read_screenshot(ctx: CaptureContext, screenshot: bytes) -> None:
    """Browser mode: a page that still has (almost) no text after the browser showed it draws
    its text in images: the screenshot is read, with layout analysis, and what it read
    follows the page's own few words."""
    text = ctx.snapshot.text.strip()
    if not screenshot or len(text) >= settings.BROWSER_MIN_TEXT or unavailable():
        return
    try:
        result = ocr.ocr_image(screenshot, limits(), settings.OCR_CONCURRENCY, layout=True)
    except (ocr.OcrFailed, ocr.OcrUnavailable) as exc:
        reason = f"OCR could not read the screenshot: {exc}"
        log.info("snapshot %s: %s", ctx.snapshot.pk, reason)
        skip_artifact(ctx.snapshot, ArtifactKind.TEXT, reason)
        return
    if len(result.text) > len(text):
        _keep(ctx, "\n\n".join(part for part in (text, result.text) if part), result.notes)


def _keep(ctx: CaptureContext, text: str, notes: list[str]) -> Artifact:
    ctx.snapshot.text = text
    ctx.snapshot.ocr = bool(text)
    artifact = store_artifact(
        ctx.snapshot, ArtifactKind.TEXT, text.encode("utf-8"), "text/plain; charset=utf-8"
    )
    if notes:
        artifact.error = "; ".join(notes)[:2000]
        artifact.save(update_fields=["error"])
    return artifact
