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
