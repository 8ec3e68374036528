"""Keep the page as received, decoded to UTF-8, and read out its text and metadata."""

import hashlib

from linkhome.capture.artifacts import store_artifact
from linkhome.capture.context import CaptureContext, StepFailed
from linkhome.capture.models import ArtifactKind
from linkhome.capture.steps.decode import decode_document, rewrite_meta_charset
from linkhome.capture.steps.extract import extract

HTML_TYPES = {"text/html", "application/xhtml+xml", ""}


def is_html(ctx: CaptureContext) -> bool:
    final = ctx.fetched.final
    if final.content_type in HTML_TYPES - {""}:
        return True
    # A missing Content-Type is common on old servers: sniff like a browser would.
    return not final.content_type and final.body[:512].lstrip().lower().startswith(
        (b"<!doctype html", b"<html")
    )


def keep_raw(ctx: CaptureContext) -> None:
    final = ctx.fetched.final
    # The full header, charset included: the bytes only read right with it.
    mime = final.header("content-type") or "application/octet-stream"
    ctx.base = store_artifact(ctx.snapshot, ArtifactKind.RAW_HTML, final.body, mime).sha256


def decode_page(ctx: CaptureContext) -> None:
    final = ctx.fetched.final
    decoded = decode_document(final.body, final.charset)
    ctx.snapshot.charset = decoded.charset
    ctx.snapshot.charset_source = decoded.source
    ctx.html = rewrite_meta_charset(decoded.text)
    data = ctx.html.encode("utf-8")
    store_artifact(ctx.snapshot, ArtifactKind.HTML, data, "text/html; charset=utf-8", base=ctx.base)


def extract_content(ctx: CaptureContext) -> None:
    try:
        found = extract(ctx.html, ctx.final_url)
    except Exception as exc:  # an extractor bug must not cost the rest of the snapshot
        raise StepFailed(ArtifactKind.READABLE, f"text extraction failed: {exc}") from exc
    _apply_metadata(ctx, found)
    if not found.readable_html:
        raise StepFailed(ArtifactKind.READABLE, "no readable text was found on the page")
    store_artifact(
        ctx.snapshot,
        ArtifactKind.READABLE,
        found.readable_html.encode("utf-8"),
        "text/html; charset=utf-8",
        base=ctx.base,
    )


def _apply_metadata(ctx: CaptureContext, found) -> None:  # noqa: ANN001 - Extracted
    snapshot = ctx.snapshot
    snapshot.title = found.title[:500]
    snapshot.author = found.author[:300]
    snapshot.published = found.published
    snapshot.site_name = found.site_name[:200]
    snapshot.language = found.language[:20]
    snapshot.description = found.description
    snapshot.text = found.text
    snapshot.extractor = found.method[:20]
    snapshot.content_hash = (
        hashlib.sha256(found.text.encode("utf-8")).hexdigest() if found.text else ""
    )
