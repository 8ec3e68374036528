"""Non-HTML responses (PDF, images, plain text) are kept as the document they are."""

import io
import logging

from django.utils.translation import gettext_noop

from linkhome.archive.artifacts import skip_artifact, store_artifact
from linkhome.archive.models import ArtifactKind
from linkhome.capture.context import CaptureContext, StepFailed
from linkhome.capture.steps.decode import decode_document
from linkhome.capture.steps.ocr import READABLE_IMAGES, read_image, read_scanned_pages
from linkhome.capture.steps.preview import keep_document_preview
from linkhome.lib.cjk_radicals import unify_radicals
from linkhome.lib.mime_sniff import is_textual

log = logging.getLogger("linkhome.capture")
MAX_PDF_PAGES = 500
# The preview of a PDF snapshot: its first pages, drawn one under another in one PNG.
PREVIEW_PAGES = 3
PREVIEW_WIDTH = 800  # pixels: sharp in the reading column, small enough to send
PREVIEW_MAX_PIXELS = 4_000_000  # a page far taller than wide is drawn narrower
PAGES_NOT_DRAWN = gettext_noop("the PDF's pages could not be drawn")
# Stored in English, shown translated (web.templatetags.linkhome_tags.artifact_reason).
NOT_TEXT = gettext_noop(
    "the server called this file text, but its bytes are binary: it is kept as a file and"
    " not read as text"
)


def keep_document(ctx: CaptureContext) -> None:
    final = ctx.page.final
    mime = ctx.page_type.mime  # what the bytes are: a PNG served as text/html is a PNG
    # The full header, charset included, when it names what the bytes are: the text only
    # reads right with its charset.
    full_type = (final.header("content-type") or mime) if mime == final.content_type else mime
    stored = store_artifact(ctx.snapshot, ArtifactKind.DOCUMENT, final.body, full_type)
    ctx.keep_base(stored.sha256, len(final.body))
    ctx.snapshot.title = _filename(ctx.final_url)
    keep_document_preview(ctx, final.body, mime)
    if mime == "application/pdf":
        _pdf_pages(ctx)  # first: a PDF whose text cannot be read may still be drawn
        _pdf_text(ctx)
    elif mime in READABLE_IMAGES:
        read_image(ctx)  # OCR: the picture's text, if it has any
    elif ctx.page_type.is_text:
        _plain_text(ctx)
    elif is_textual(final.content_type):
        skip_artifact(ctx.snapshot, ArtifactKind.TEXT, NOT_TEXT)


def _filename(url: str) -> str:
    return url.rstrip("/").rsplit("/", 1)[-1][:500] or url[:500]


def _plain_text(ctx: CaptureContext) -> None:
    final = ctx.page.final
    decoded = decode_document(final.body, final.charset)
    ctx.snapshot.charset, ctx.snapshot.charset_source = decoded.charset, decoded.source
    ctx.snapshot.text = decoded.text
    text = decoded.text.encode("utf-8")
    store_artifact(
        ctx.snapshot, ArtifactKind.TEXT, text, "text/plain; charset=utf-8", base=ctx.base
    )


def _pdf_text(ctx: CaptureContext) -> None:
    from pypdf import PdfReader  # imported here: only PDF captures pay for it

    try:
        reader = PdfReader(io.BytesIO(ctx.page.final.body))
        pages = [page.extract_text() or "" for page in reader.pages[:MAX_PDF_PAGES]]
        title = reader.metadata.get("/Title") if reader.metadata else None
    except Exception as exc:  # a damaged PDF is still worth keeping as bytes
        raise StepFailed(ArtifactKind.TEXT, f"could not read text from the PDF: {exc}") from exc
    if title:
        ctx.snapshot.title = str(title)[:500]
    # Pages with no text layer (scans) are read by OCR, within its bounds.
    pages, notes = read_scanned_pages(ctx, pages)
    # Fonts that map glyphs to radical code points give "国⺠经济" for 国民经济.
    ctx.snapshot.text = unify_radicals("\n".join(pages).strip())
    artifact = store_artifact(
        ctx.snapshot,
        ArtifactKind.TEXT,
        ctx.snapshot.text.encode("utf-8"),
        "text/plain; charset=utf-8",
    )
    if notes:  # what OCR left out is said on the text artifact, as the single file's assets
        artifact.error = "; ".join(notes)[:2000]
        artifact.save(update_fields=["error"])


def _pdf_pages(ctx: CaptureContext) -> None:
    """The first PREVIEW_PAGES pages as one PNG (ArtifactKind.PAGES), shown on the snapshot
    page as an image: the browser's PDF viewer does not run in the archive's sandbox."""
    try:
        png = _draw_pages(ctx.page.final.body)
    except Exception as exc:  # a damaged PDF is still kept; it has no preview
        log.info("PDF preview of snapshot %s not drawn: %s", ctx.snapshot.pk, exc)
        skip_artifact(ctx.snapshot, ArtifactKind.PAGES, PAGES_NOT_DRAWN)
        return
    store_artifact(ctx.snapshot, ArtifactKind.PAGES, png, "image/png")


def _draw_pages(data: bytes) -> bytes:
    import pypdfium2 as pdfium  # imported here: only PDF captures pay for it
    from PIL import Image

    document = pdfium.PdfDocument(data)
    images = []
    try:
        for number in range(min(PREVIEW_PAGES, len(document))):
            page = document[number]
            try:
                width, height = page.get_size()  # points
                if width <= 0 or height <= 0:
                    continue
                scale = PREVIEW_WIDTH / width
                if width * height * scale * scale > PREVIEW_MAX_PIXELS:
                    scale = (PREVIEW_MAX_PIXELS / (width * height)) ** 0.5
                images.append(page.render(scale=scale).to_pil().convert("RGB"))
            finally:
                page.close()
    finally:
        document.close()
    if not images:
        raise ValueError("no page with an area")
    gap = 12
    sheet = Image.new(
        "RGB",
        (max(i.width for i in images), sum(i.height for i in images) + gap * (len(images) - 1)),
        (200, 200, 200),
    )
    top = 0
    for image in images:
        sheet.paste(image, (0, top))
        top += image.height + gap
    out = io.BytesIO()
    sheet.save(out, "PNG", optimize=True)
    return out.getvalue()
