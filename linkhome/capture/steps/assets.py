"""Build the self-contained single-file HTML and keep the favicon.

Assets go through the same guarded client as the page, and every exchange lands in the
snapshot's WARC, so the single file can always be rebuilt from the archival master.
"""

import re
import time
from urllib.parse import urljoin

import lxml.html
from django.conf import settings

from linkhome.archive.artifacts import skip_artifact, store_artifact
from linkhome.archive.models import Artifact, ArtifactKind
from linkhome.archive.packing import embed_shared
from linkhome.capture.context import CaptureContext, StepFailed
from linkhome.capture.responses import known_chain
from linkhome.capture.steps.content import keep_readable
from linkhome.capture.steps.preview import (
    MAX_PICTURE_CANDIDATES,
    has_thumbnail,
    keep_page_preview,
    meta_pictures,
)
from linkhome.capture.steps.readable_images import image_urls, with_archived_images
from linkhome.capture.steps.single_file import Asset, AssetError, build_single_file
from linkhome.lib.safe_http import Exchange, FetchError
from linkhome.storage.blobs import StoreUnavailable

ICON_RELS = {"icon", "shortcut icon", "apple-touch-icon"}
HEAD_END = re.compile(r"</head\s*>", re.I)
NO_HEAD_LIMIT = 65536
MAX_LISTED_FAILURES = 20


class RecordingFetcher:
    """The AssetFetcher the single-file builder calls: guarded, recorded, memoised."""

    def __init__(self, ctx: CaptureContext, keep: set[str]) -> None:
        self.ctx = ctx
        # Bodies are kept only for the URLs asked for (favicon candidates); the builder holds
        # what it inlines, and a page's hundred rejected assets must not pile up in memory.
        self.keep = keep
        self.fetched: dict[str, Asset] = {}
        # A page with hundreds of assets on slow hosts must not hold the worker for hours.
        self.deadline = time.monotonic() + settings.CAPTURE_ASSET_DEADLINE

    def __call__(self, url: str) -> Asset | None:
        if time.monotonic() > self.deadline:
            raise AssetError(f"the {settings.CAPTURE_ASSET_DEADLINE:g} s budget for assets ran out")
        final, final_url = self._answer(url)
        if final.status >= 400:
            raise AssetError(f"HTTP {final.status}")
        # Relative url() in a redirected stylesheet resolve against where it really is.
        asset = Asset(url=final_url, mime=final.content_type or "", body=final.body)
        if url in self.keep:
            self.fetched[url] = asset
        return asset

    def _answer(self, url: str) -> tuple[Exchange, str]:
        """(final answer, final URL): from this capture's answers (the browser's, already in
        the WARC) when it has them, else fetched and recorded."""
        chain = known_chain(self.ctx.responses, url)
        if chain:
            return chain[-1], chain[-1].url
        try:
            result = self.ctx.client.get(url)
        except FetchError as exc:
            self.ctx.recorder.add_all(exc.exchanges, dedupe=True)
            raise AssetError(exc.message) from exc
        self.ctx.recorder.add_all(result.exchanges, dedupe=True)
        return result.final, result.final_url


def build_single(ctx: CaptureContext) -> None:
    if not settings.CAPTURE_ASSETS:
        skip_artifact(ctx.snapshot, ArtifactKind.SINGLE_FILE, "asset capture is turned off")
        return
    # The rendered DOM when the browser ran: lazy images swapped in, script-built content.
    html = ctx.rendered_html or ctx.html
    icons = favicon_candidates(html, ctx.final_url)
    pictures = image_urls(ctx.readable_html, ctx.final_url)
    # A browser thumbnail is the list's picture already: no fetch for another one.
    thumbnail = has_thumbnail(ctx)
    previews = [] if thumbnail else meta_pictures(html, ctx.final_url)
    fetcher = RecordingFetcher(ctx, {*icons, *pictures, *previews})
    try:
        single = build_single_file(
            html,
            ctx.final_url,
            fetcher,
            charset=ctx.snapshot.charset or None,
            embed=embed_shared,
        )
    except StoreUnavailable:
        raise  # shared assets go to the blob store as they are embedded: retry the capture
    except Exception as exc:  # a builder bug must not cost the rest of the snapshot
        raise StepFailed(ArtifactKind.SINGLE_FILE, f"single-file build failed: {exc}") from exc
    data = single.html.encode("utf-8")
    artifact = store_artifact(
        ctx.snapshot, ArtifactKind.SINGLE_FILE, data, "text/html; charset=utf-8", base=ctx.base
    )
    _note_missing_assets(artifact, single.failed)
    _keep_favicon(ctx, fetcher, icons)
    _keep_readable_images(ctx, fetcher, single.failed)
    if not thumbnail:
        _keep_preview(fetcher, previews, pictures[:MAX_PICTURE_CANDIDATES], single.failed)


def _note_missing_assets(artifact: Artifact, failed: dict[str, str]) -> None:
    """The single file is kept; what it could not include is said on the artifact."""
    if failed:
        lines = [f"{url} ({reason})" for url, reason in list(failed.items())[:MAX_LISTED_FAILURES]]
        more = len(failed) - len(lines)
        artifact.error = (
            f"{len(failed)} assets left out: "
            + "; ".join(lines)
            + (f"; and {more} more" if more > 0 else "")
        )
        artifact.save(update_fields=["error"])


def _keep_favicon(ctx: CaptureContext, fetcher: RecordingFetcher, icons: list[str]) -> None:
    for url in icons:
        asset = fetcher.fetched.get(url)
        if asset and asset.body:
            store_artifact(
                ctx.snapshot, ArtifactKind.FAVICON, asset.body, asset.mime or "image/x-icon"
            )
            return


def _keep_readable_images(
    ctx: CaptureContext, fetcher: RecordingFetcher, failed: dict[str, str]
) -> None:
    """The readable HTML again, its images now the bytes this step fetched."""
    if not ctx.readable_html:
        return

    def archived(url: str) -> Asset | None:
        if url in fetcher.fetched:  # the single file's copy: no second download
            return fetcher.fetched[url]
        if url in failed:  # already tried, or skipped for the budget
            return None
        # Not in the single file (it took another srcset candidate, say): fetched and
        # recorded like the others, within the same deadline.
        try:
            return fetcher(url)
        except Exception:  # one broken image must not cost the readable text
            return None

    keep_readable(ctx, with_archived_images(ctx.readable_html, ctx.final_url, archived))


def _keep_preview(
    fetcher: RecordingFetcher, previews: list[str], pictures: list[str], failed: dict[str, str]
) -> None:
    """The page's og:image / twitter:image (fetched now, within the assets' deadline), else
    the first readable picture large enough (already fetched for the readable HTML)."""

    def body(url: str) -> bytes | None:
        if url in fetcher.fetched:
            return fetcher.fetched[url].body
        if url in failed or url in pictures:  # tried, or not kept by the readable step
            return None
        try:
            asset = fetcher(url)
        except Exception:  # a missing preview costs nothing else
            return None
        return asset.body if asset else None

    keep_page_preview(fetcher.ctx, [*previews, *pictures], body)


def favicon_candidates(html: str, base_url: str) -> list[str]:
    # Icons are declared in the head: parsing only that keeps a second full parse of a
    # large page off the capture's hot path (the single-file builder parses it whole).
    try:
        doc = lxml.html.fromstring(_head_of(html))
    except Exception:  # broken or empty markup: only the conventional location is left
        return [urljoin(base_url, "/favicon.ico")]
    hrefs = [
        urljoin(base_url, el.get("href", ""))
        for el in doc.iter("link")
        if (el.get("rel") or "").lower().strip() in ICON_RELS and el.get("href")
    ]
    return [*hrefs, urljoin(base_url, "/favicon.ico")]


def _head_of(html: str) -> str:
    end = HEAD_END.search(html)
    return html[: end.end()] if end else html[:NO_HEAD_LIMIT]
