"""The capture pipeline: fetch → record → decode → extract → browser → assets, for one snapshot.

Each step after fetch may fail on its own; its artifact is marked failed with the reason
and the snapshot keeps whatever succeeded (status "partial"). The WARC is written last so
it holds every exchange, the page's, the browser's and its assets'. A step may still abort
the capture for a retry (a browser that died under it).
"""

import logging
from collections.abc import Callable

from django.conf import settings

from linkhome.archive import services
from linkhome.archive.artifacts import fail_artifact, store_artifact
from linkhome.archive.models import ArtifactKind, Snapshot, SnapshotStatus
from linkhome.archive.payloads import DatabasePayloadIndex
from linkhome.capture.context import CaptureAborted, CaptureContext, CaptureDeferred, StepFailed
from linkhome.capture.steps.assets import build_single
from linkhome.capture.steps.browser import render_in_browser
from linkhome.capture.steps.content import decode_page, extract_content, is_html, keep_raw
from linkhome.capture.steps.document import keep_document
from linkhome.capture.steps.empty import is_empty, note_empty
from linkhome.capture.steps.fetch import fetch_page, make_client
from linkhome.capture.steps.record import WarcRecorder
from linkhome.hosts import pace
from linkhome.lib.safe_http import deadline_scope
from linkhome.storage.blobs import StoreUnavailable

log = logging.getLogger("linkhome.capture")
Step = Callable[[CaptureContext], None]
HTML_STEPS: tuple[Step, ...] = (
    keep_raw,
    decode_page,
    extract_content,
    render_in_browser,  # before the single file, which is built from the rendered DOM
    build_single,
)
DOCUMENT_STEPS: tuple[Step, ...] = (keep_document,)
EMPTY_STEPS: tuple[Step, ...] = (note_empty,)


# Snapshots this process is capturing right now. Recovery requeues a snapshot left
# "running" under a live worker's id only when that worker is not actually on it (its
# capture crashed and even the retry bookkeeping failed, say while the database was away).
ACTIVE: set[int] = set()


def run_capture(snapshot_id: int, worker_id: str = "") -> Snapshot | None:
    """Take the snapshot if it is still queued; return it in its new state."""
    ACTIVE.add(snapshot_id)  # before the claim, so recovery never sees it running but idle
    try:
        snapshot = services.claim(snapshot_id, worker_id)
        return _capture_guarded(snapshot) if snapshot else None
    finally:
        ACTIVE.discard(snapshot_id)


def _capture_guarded(snapshot: Snapshot) -> Snapshot:
    try:
        with make_client() as client:
            recorder = WarcRecorder(DatabasePayloadIndex(snapshot), settings.CAPTURE_PARSE_BYTES)
            return _capture(CaptureContext(snapshot=snapshot, client=client, recorder=recorder))
    except StoreUnavailable as exc:
        # Transient: nothing half-written is referenced (a blob's row follows its complete
        # object, an artifact its blob's row), so the next attempt starts over cleanly.
        log.warning("snapshot %s: %s", snapshot.pk, exc)
        return services.retry_later(snapshot, str(exc))
    except Exception as exc:
        # A bug must not leave the snapshot "running" forever; attempts bound the retries.
        log.exception("snapshot %s: capture crashed", snapshot.pk)
        return services.retry_later(snapshot, f"internal error ({type(exc).__name__})")


def _capture(ctx: CaptureContext) -> Snapshot:
    try:
        # One deadline for every fetch of the attempt (page and assets; the browser has its
        # own timeout), so a slow page holds a capture thread for that long at most.
        with deadline_scope(settings.CAPTURE_DEADLINE):
            fetch_page(ctx)
            for step in _steps_for(ctx):
                _run_step(ctx, step)
    except CaptureDeferred as exc:
        return services.defer(ctx.snapshot, exc.wait)
    except CaptureAborted as exc:
        _save_warc(ctx)
        return _aborted(ctx, exc)
    _save_warc(ctx)
    status = SnapshotStatus.PARTIAL if ctx.failures else SnapshotStatus.SUCCEEDED
    return services.finish(ctx.snapshot, status, "; ".join(ctx.failures))


def _steps_for(ctx: CaptureContext) -> tuple[Step, ...]:
    if is_empty(ctx):
        return EMPTY_STEPS
    return HTML_STEPS if is_html(ctx) else DOCUMENT_STEPS


def _run_step(ctx: CaptureContext, step: Step) -> None:
    try:
        step(ctx)
    except StepFailed as exc:
        log.info("snapshot %s: %s", ctx.snapshot.pk, exc.reason)
        fail_artifact(ctx.snapshot, exc.kind, exc.reason)
        ctx.failures.append(exc.reason)


def _aborted(ctx: CaptureContext, exc: CaptureAborted) -> Snapshot:
    if exc.retry_after is not None:
        pace.pause(ctx.snapshot.url, exc.retry_after)  # every capture of the host waits
    if exc.transient:
        return services.retry_later(ctx.snapshot, exc.reason, not_before=exc.retry_after or 0)
    return services.finish(ctx.snapshot, SnapshotStatus.FAILED, exc.reason)


def _save_warc(ctx: CaptureContext) -> None:
    if not ctx.recorder.count:
        return
    # Every step is done and the WARC holds every exchange: let go of the bodies. The WARC is
    # stored from its (spooled) file a piece at a time, never read back whole.
    ctx.fetched, ctx.responses = None, {}
    # Stored as one uncompressed WARC compressed against the page body (which it holds
    # whole); downloads get the standard gzip-per-record .warc.gz (capture.serving).
    payloads = ctx.recorder.payloads
    store_artifact(
        ctx.snapshot,
        ArtifactKind.WARC,
        ctx.recorder.file(),
        "application/warc",
        base=ctx.base,
        refs=payloads.pointed_at() if payloads else (),
    )
    if payloads:
        payloads.commit()
