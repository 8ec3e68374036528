"""The preview picture lists show (ArtifactKind.PREVIEW), made during the capture.

For a page: nothing when the browser already kept a thumbnail; else the page's og:image or
twitter:image, else the first picture of the readable text that is large enough. Pictures
come through the assets step's fetcher, so the guarded client, its limits, its address
rules and its deadline apply, and every exchange lands in the WARC. For a document: an
image snapshot's picture scaled down, a PDF's first page rendered small.

A preview is an ornament: not finding or not making one never fails the capture.
"""

from collections.abc import Callable
from urllib.parse import urljoin, urlsplit

import lxml.html
from django.conf import settings

from linkhome.archive.artifacts import store_artifact
from linkhome.archive.models import ArtifactKind, ArtifactStatus
from linkhome.capture.context import CaptureContext
from linkhome.lib.previews import PREVIEW_MIME, PreviewLimits, pdf_first_page, small_picture

# <meta property|name=...> that name a page's sharing picture, best first.
META_PICTURES = (
    "og:image:secure_url",
    "og:image:url",
    "og:image",
    "twitter:image",
    "twitter:image:src",
)
MAX_META_CANDIDATES = 2  # extra fetches a page may cost for its preview
MAX_PICTURE_CANDIDATES = 5  # readable pictures looked at (already fetched by the assets step)


def limits() -> PreviewLimits:
    return PreviewLimits(max_side=settings.PREVIEW_MAX_SIDE)


def meta_pictures(html: str, base_url: str) -> list[str]:
    """The absolute http(s) URLs of the page's og:image / twitter:image, best first."""
    try:
        doc = lxml.html.fromstring(html)
    except Exception:  # broken or empty markup
        return []
    found: dict[str, list[str]] = {}
    for meta in doc.iter("meta"):
        key = (meta.get("property") or meta.get("name") or "").strip().lower()
        content = (meta.get("content") or "").strip()
        if key in META_PICTURES and content:
            url = urljoin(base_url, content)
            if urlsplit(url).scheme in ("http", "https"):
                found.setdefault(key, []).append(url.split("#", 1)[0])
    ordered = [url for key in META_PICTURES for url in found.get(key, [])]
    return list(dict.fromkeys(ordered))[:MAX_META_CANDIDATES]


def has_thumbnail(ctx: CaptureContext) -> bool:
    return ctx.snapshot.artifacts.filter(
        kind=ArtifactKind.THUMBNAIL, status=ArtifactStatus.OK
    ).exists()


def keep_page_preview(
    ctx: CaptureContext,
    candidates: list[str],
    fetch: Callable[[str], bytes | None],
) -> bool:
    """Store the first candidate that makes a preview; True when one was stored."""
    for url in candidates:
        body = fetch(url)
        picture = small_picture(body, limits()) if body else None
        if picture:
            store_artifact(ctx.snapshot, ArtifactKind.PREVIEW, picture, PREVIEW_MIME)
            return True
    return False


def keep_document_preview(ctx: CaptureContext, body: bytes, mime: str) -> None:
    """An image snapshot's picture or a PDF's first page, small."""
    if mime == "application/pdf":
        picture = pdf_first_page(body, limits())
    elif mime.startswith("image/"):
        # The picture itself is the preview, however small: the floor is for page pictures.
        picture = small_picture(
            body, PreviewLimits(max_side=limits().max_side, min_width=1, min_height=1)
        )
    else:
        return
    if picture:
        store_artifact(ctx.snapshot, ArtifactKind.PREVIEW, picture, PREVIEW_MIME)
