"""Fetch the page through the guarded client; decide what a bad answer means."""

from http import HTTPStatus

from django.conf import settings

from linkhome.archive.artifacts import store_artifact
from linkhome.archive.models import ArtifactKind, Snapshot
from linkhome.capture.context import CaptureAborted, CaptureContext
from linkhome.lib.mime_sniff import sniff
from linkhome.lib.safe_http import Exchange, FetchError, FetchResult, Limits, SafeClient

# Every 5xx is the server's trouble and may pass; of the 4xx only these are about timing.
TRANSIENT_4XX = {408, 425, 429}


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
        fetched = ctx.fetched = ctx.client.get(ctx.snapshot.url)
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
    _check_status(final.status)


def _describe_response(snapshot: Snapshot, fetched: FetchResult) -> None:
    final = fetched.final
    snapshot.http_status = final.status
    snapshot.final_url = fetched.final_url
    snapshot.content_type = final.content_type or ""


def _store_headers(snapshot: Snapshot, final: Exchange) -> None:
    lines = [f"{final.http_version} {final.status} {final.reason}"]
    lines += [f"{name}: {value}" for name, value in final.response_headers]
    store_artifact(snapshot, ArtifactKind.HEADERS, "\r\n".join(lines).encode(), "text/plain")


def _check_status(status: int) -> None:
    if status < 400:
        return
    reason = f"the server answered {status} {_phrase(status)}"
    raise CaptureAborted(reason, transient=status >= 500 or status in TRANSIENT_4XX)


def _phrase(status: int) -> str:
    try:
        return HTTPStatus(status).phrase
    except ValueError:
        return ""
