"""Fetch the page through the guarded client; decide what a bad answer means."""

from http import HTTPStatus

from django.conf import settings

from linkhome.archive.artifacts import store_artifact
from linkhome.archive.models import ArtifactKind, Snapshot
from linkhome.capture.context import CaptureAborted, CaptureContext, CaptureDeferred
from linkhome.hosts import pace
from linkhome.hosts.pace import HostBusy
from linkhome.lib.mime_sniff import sniff
from linkhome.lib.retry_after import retry_after_seconds
from linkhome.lib.safe_http import Exchange, FetchError, FetchResult, Limits, SafeClient

# Every 5xx is the server's trouble and may pass; of the 4xx only these are about timing.
TRANSIENT_4XX = {408, 425, 429}
# Answers whose Retry-After means "the whole host: not before then" (RFC 9110 10.2.3).
PAUSING = {429, 503}


def make_client() -> SafeClient:
    return SafeClient(
        Limits(
            connect_timeout=settings.FETCH_CONNECT_TIMEOUT,
            read_timeout=settings.FETCH_READ_TIMEOUT,
            deadline=settings.FETCH_DEADLINE,
            max_body=settings.FETCH_MAX_BYTES,
            max_redirects=settings.FETCH_MAX_REDIRECTS,
            allow_private=settings.ALLOW_PRIVATE_NETWORKS,
        )
    )


def fetch_page(ctx: CaptureContext) -> None:
    try:
        with pace.turn(ctx.snapshot.url):
            fetched = ctx.fetched = ctx.client.get(ctx.snapshot.url)
    except HostBusy as exc:
        raise CaptureDeferred(exc.wait) from exc
    except FetchError as exc:
        ctx.recorder.add_all(exc.exchanges)
        raise CaptureAborted(exc.message, transient=exc.transient) from exc
    ctx.recorder.add_all(fetched.exchanges)
    final = fetched.final
    ctx.sniffed = sniff(
        final.body, final.header("content-type"), final.header("x-content-type-options")
    )
    _describe_response(ctx.snapshot, fetched)
    _store_headers(ctx.snapshot, final)
    _check_status(final)


def _describe_response(snapshot: Snapshot, fetched: FetchResult) -> None:
    final = fetched.final
    snapshot.http_status = final.status
    snapshot.final_url = fetched.final_url
    snapshot.content_type = final.content_type or ""


def _store_headers(snapshot: Snapshot, final: Exchange) -> None:
    lines = [f"{final.http_version} {final.status} {final.reason}"]
    lines += [f"{name}: {value}" for name, value in final.response_headers]
    store_artifact(snapshot, ArtifactKind.HEADERS, "\r\n".join(lines).encode(), "text/plain")


def _check_status(final: Exchange) -> None:
    status = final.status
    if status < 400:
        return
    reason = f"the server answered {status} {_phrase(status)}"
    wait = retry_after_seconds(final.header("retry-after")) if status in PAUSING else None
    if wait is not None:
        wait = min(wait, settings.RETRY_AFTER_MAX)
    transient = status >= 500 or status in TRANSIENT_4XX
    raise CaptureAborted(reason, transient=transient, retry_after=wait)


def _phrase(status: int) -> str:
    try:
        return HTTPStatus(status).phrase
    except ValueError:
        return ""
