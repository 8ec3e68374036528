"""Non-HTML responses (PDF, images, plain text) are kept as the document they are."""

import io
import logging

from linkhome.capture.artifacts import store_artifact
from linkhome.capture.context import CaptureContext, StepFailed
from linkhome.capture.models import ArtifactKind
from linkhome.capture.steps.decode import decode_document
from linkhome.lib.cjk_radicals import unify_radicals

log = logging.getLogger("linkhome.capture")
MAX_PDF_PAGES = 500


def keep_document(ctx: CaptureContext) -> None:
    final = ctx.fetched.final
    mime = final.content_type or "application/octet-stream"
    # The full header, charset included: the bytes only read right with it.
    full_type = final.header("content-type") or mime
    ctx.base = store_artifact(ctx.snapshot, ArtifactKind.DOCUMENT, final.body, full_type).sha256
    ctx.snapshot.title = _filename(ctx.final_url)
    if mime == "application/pdf":
        _pdf_text(ctx)
    elif mime.startswith("text/"):
        _plain_text(ctx)


def _filename(url: str) -> str:
    return url.rstrip("/").rsplit("/", 1)[-1][:500] or url[:500]


def _plain_text(ctx: CaptureContext) -> None:
    final = ctx.fetched.final
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
        reader = PdfReader(io.BytesIO(ctx.fetched.final.body))
        pages = [page.extract_text() or "" for page in reader.pages[:MAX_PDF_PAGES]]
        title = (reader.metadata or {}).get("/Title") if reader.metadata else None
    except Exception as exc:  # a damaged PDF is still worth keeping as bytes
        raise StepFailed(ArtifactKind.TEXT, f"could not read text from the PDF: {exc}") from exc
    if title:
        ctx.snapshot.title = str(title)[:500]
    # Fonts that map glyphs to radical code points give "国⺠经济" for 国民经济.
    ctx.snapshot.text = unify_radicals("\n".join(pages).strip())
    store_artifact(
        ctx.snapshot,
        ArtifactKind.TEXT,
        ctx.snapshot.text.encode("utf-8"),
        "text/plain; charset=utf-8",
    )
