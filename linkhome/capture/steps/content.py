"""Keep the page as received, decoded to UTF-8, and read out its text and metadata."""

import hashlib

from django.conf import settings

from linkhome.archive.artifacts import store_artifact
from linkhome.archive.models import ArtifactKind
from linkhome.capture.context import CaptureContext, StepFailed
from linkhome.capture.steps.decode import decode_document, rewrite_meta_charset
from linkhome.capture.steps.extract import Extracted, extract
from linkhome.capture.steps.readable_images import without_images

HTML_TYPES = {"text/html", "application/xhtml+xml"}


def is_html(ctx: CaptureContext) -> bool:
    """HTML by the sniffed type (a missing Content-Type is common on old servers), and text:
    binary served as text/html is a document (capture.steps.document)."""
    return ctx.page_type.mime in HTML_TYPES and ctx.page_type.is_text


def keep_raw(ctx: CaptureContext) -> None:
    final = ctx.page.final
    # The full header, charset included: the bytes only read right with it.
    mime = final.header("content-type") or "application/octet-stream"
    stored = store_artifact(ctx.snapshot, ArtifactKind.RAW_HTML, final.body, mime)
    ctx.keep_base(stored.sha256, len(final.body))


def decode_page(ctx: CaptureContext) -> None:
    final = ctx.page.final
    # Only a prefix is parsed (text, metadata, single file): a 50 MB page parsed whole
    # takes a gigabyte. The raw page and the WARC keep every byte.
    decoded = decode_document(final.body[: settings.CAPTURE_PARSE_BYTES], final.charset)
    ctx.snapshot.charset = decoded.charset
    ctx.snapshot.charset_source = decoded.source
    ctx.html = rewrite_meta_charset(decoded.text)
    data = ctx.html.encode("utf-8")
    store_artifact(ctx.snapshot, ArtifactKind.HTML, data, "text/html; charset=utf-8", base=ctx.base)


def extract_content(ctx: CaptureContext) -> None:
    keep_extracted(ctx, read_page(ctx.html, ctx.final_url))


def read_page(html: str, url: str) -> Extracted:
    try:
        return extract(html, url)
    except Exception as exc:  # an extractor bug must not cost the rest of the snapshot
        raise StepFailed(ArtifactKind.READABLE, f"text extraction failed: {exc}") from exc


def keep_extracted(ctx: CaptureContext, found: Extracted) -> None:
    """The snapshot's text and metadata become `found`'s; its readable HTML is stored."""
    _apply_metadata(ctx, found)
    ctx.readable_html = found.readable_html
    if not found.readable_html:
        raise StepFailed(ArtifactKind.READABLE, "no readable text was found on the page")
    # Never with the page's own image addresses: showing it would call the original site.
    # The assets step stores it again with the archived images (build_single).
    keep_readable(ctx, without_images(found.readable_html))


def keep_readable(ctx: CaptureContext, readable_html: str) -> None:
    store_artifact(
        ctx.snapshot,
        ArtifactKind.READABLE,
        readable_html.encode("utf-8"),
        "text/html; charset=utf-8",
        base=ctx.base,
    )


def _apply_metadata(ctx: CaptureContext, found: Extracted) -> None:
    snapshot = ctx.snapshot
    snapshot.title = found.title[:500]
    snapshot.full_title = found.full_title[:500]
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
