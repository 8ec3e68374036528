"""Browser mode: render the page in Chromium; keep screenshot, thumbnail, PDF and DOM.

When (LINKHOME_BROWSER): `always` every HTML page; `auto` when the link asks for it or HTTP
mode read (almost) no text, the mark of a page built by scripts; `off` never. Without
Chromium it is skipped and says so, and the HTTP-mode snapshot stands.

Every answer the browser received is added to the WARC; the rendered DOM becomes what the
single-file step builds from (capture.steps.assets) and, when HTTP mode found too little
text, what the snapshot's readable text is read from. A browser that died mid-capture
sends the capture back to the queue (while attempts are left); any other browser failure
marks only the browser artifacts failed.
"""

import logging
from dataclasses import replace

from django.conf import settings
from django.utils.translation import gettext_noop

from linkhome.archive.artifacts import fail_artifact, skip_artifact, store_artifact
from linkhome.archive.models import Artifact, ArtifactKind, ArtifactStatus
from linkhome.capture.browser import (
    BrowserConfig,
    BrowserCrashed,
    BrowserFailed,
    Rendered,
    browser_host,
    chromium_available,
)
from linkhome.capture.context import CaptureAborted, CaptureContext, StepFailed
from linkhome.capture.responses import remember
from linkhome.capture.steps.content import keep_extracted, read_page
from linkhome.capture.steps.decode import rewrite_meta_charset, web_label
from linkhome.capture.steps.ocr import read_screenshot
from linkhome.lib.safe_http import Exchange

log = logging.getLogger("linkhome.capture")
IMAGES = {
    ArtifactKind.SCREENSHOT: "image/png",
    ArtifactKind.THUMBNAIL: "image/webp",
    ArtifactKind.PDF: "application/pdf",
}
# Marked for translation here, translated where they are shown (web templatetags).
OFF = gettext_noop("browser mode is off (LINKHOME_BROWSER=off)")
NO_CHROMIUM = gettext_noop("Chromium is not installed")
NOT_NEEDED = gettext_noop("not needed: the page has its text without scripts")


def render_in_browser(ctx: CaptureContext) -> None:
    reason = why_not(ctx)
    if reason:
        skip_artifact(ctx.snapshot, ArtifactKind.SCREENSHOT, reason)
        return
    rendered = _render(ctx)
    ctx.recorder.add_all(rendered.exchanges, dedupe=True)
    remember(ctx.responses, [*ctx.page.exchanges, *rendered.exchanges])
    _store_images(ctx, rendered)
    ctx.rendered_html = rewrite_meta_charset(rendered.dom)
    data = ctx.rendered_html.encode("utf-8")
    store_artifact(ctx.snapshot, ArtifactKind.DOM, data, "text/html; charset=utf-8", base=ctx.base)
    _read_rendered_text(ctx)
    read_screenshot(ctx, rendered.screenshot)  # text drawn in images: OCR


def why_not(ctx: CaptureContext) -> str:
    """Why this capture goes without a browser; "" when it uses one."""
    if settings.BROWSER == "off":
        return OFF
    if not chromium_available(settings.BROWSER_EXECUTABLE):
        return NO_CHROMIUM
    if settings.BROWSER == "always" or getattr(ctx.snapshot.link, "browser", False):
        return ""
    return "" if _too_little_text(ctx.snapshot.text) else NOT_NEEDED


def _too_little_text(text: str) -> bool:
    return len(text.strip()) < settings.BROWSER_MIN_TEXT


def config() -> BrowserConfig:
    return BrowserConfig(
        executable=settings.BROWSER_EXECUTABLE,
        timeout=settings.BROWSER_TIMEOUT,
        restart_every=settings.BROWSER_RESTART_EVERY,
        concurrency=settings.BROWSER_CONCURRENCY,
    )


def _render(ctx: CaptureContext) -> Rendered:
    # The page HTTP mode fetched (redirects included) is handed over, not fetched again.
    def fetch(url: str, headers: dict[str, str]):  # noqa: ANN202 - FetchResult
        return ctx.client.get(url, headers=headers)

    try:
        return browser_host(config()).render(ctx.final_url, _as_decoded(ctx), fetch)
    except BrowserCrashed as exc:
        if ctx.snapshot.attempts < settings.CAPTURE_MAX_ATTEMPTS:
            raise CaptureAborted(str(exc), transient=True) from exc
        reason = str(exc)
    except BrowserFailed as exc:
        ctx.recorder.add_all(exc.exchanges, dedupe=True)
        reason = exc.reason
    _fail_others(ctx, reason)
    raise StepFailed(ArtifactKind.SCREENSHOT, reason)


def _as_decoded(ctx: CaptureContext) -> list[Exchange]:
    """HTTP mode's exchanges, the page's own answer labelled with the charset the decoder
    decided: Chromium does not sniff, so an unlabelled UTF-8 or GBK page would be read as
    windows-1252 mojibake. A label keeps the page's bytes (and its unlabelled scripts and
    styles, which inherit the page's charset); a charset no browser knows (johab) is handed
    over decoded, as UTF-8. The WARC keeps the answer as received."""
    final = ctx.page.final
    if not ctx.snapshot.charset:
        return ctx.page.exchanges
    label = web_label(ctx.snapshot.charset)
    headers = _with_charset(final.response_headers, label or "utf-8")
    body = final.body if label else ctx.html.encode("utf-8")
    page = replace(final, response_headers=headers, body=body)
    return [page if exchange is final else exchange for exchange in ctx.page.exchanges]


def _with_charset(headers: list[tuple[str, str]], label: str) -> list[tuple[str, str]]:
    """The headers with one Content-Type, its charset parameter set to `label`."""
    kept = [(name, value) for name, value in headers if name.lower() != "content-type"]
    old = next((value for name, value in headers if name.lower() == "content-type"), "")
    mime = old.split(";", 1)[0].strip() or "text/html"
    return [*kept, ("Content-Type", f"{mime}; charset={label}")]


def _fail_others(ctx: CaptureContext, reason: str) -> None:
    # The pipeline marks the screenshot failed; the other outputs of the browser go with it.
    for kind in (ArtifactKind.THUMBNAIL, ArtifactKind.PDF, ArtifactKind.DOM):
        fail_artifact(ctx.snapshot, kind, reason)


def _store_images(ctx: CaptureContext, rendered: Rendered) -> None:
    for kind, mime in IMAGES.items():
        data = getattr(rendered, kind.value)
        if data:
            store_artifact(ctx.snapshot, kind, data, mime)
            continue
        reason = rendered.errors.get(kind.value, "the browser made none")
        fail_artifact(ctx.snapshot, kind, f"{kind.label}: {reason}")
        ctx.failures.append(f"{kind.label}: {reason}")


def _read_rendered_text(ctx: CaptureContext) -> None:
    """A page built by scripts is read from what the browser shows, not from its source."""
    if not _too_little_text(ctx.snapshot.text):
        return
    try:
        found = read_page(ctx.rendered_html, ctx.final_url)
    except StepFailed:
        return  # HTTP mode's reading (and its failure, if any) stands
    if len(found.text.strip()) <= len(ctx.snapshot.text.strip()):
        return
    earlier = _failure_of(ctx, ArtifactKind.READABLE)
    keep_extracted(ctx, found)
    if earlier in ctx.failures:  # the readable text exists now: that failure is over
        ctx.failures.remove(earlier)


def _failure_of(ctx: CaptureContext, kind: str) -> str | None:
    row = Artifact.objects.filter(
        snapshot=ctx.snapshot, kind=kind, status=ArtifactStatus.FAILED
    ).first()
    return row.error if row else None
