"""How archived bytes are handed out: the one policy the web views and the API share.

An archived page's scripts must never act as LinkHome. `sandbox` (without allow-scripts
or allow-same-origin) gives the response an opaque origin and blocks scripts, forms,
plugins and top-level navigation; the rest of the policy keeps a page from loading
anything from the network when opened (no beacons, no tracking pixels).
"""

import mimetypes
import tempfile
from dataclasses import dataclass
from typing import IO

from django.http import FileResponse, HttpRequest, HttpResponse, HttpResponseBase
from django.utils.cache import get_conditional_response, patch_cache_control
from django.utils.http import content_disposition_header

from linkhome.archive.artifacts import artifact_file
from linkhome.archive.models import Artifact, ArtifactKind, ArtifactStatus
from linkhome.archive.warc_export import gzip_per_record_file
from linkhome.storage.blobs import SPOOL_BYTES

ARCHIVED_CSP = (
    "sandbox; default-src 'none'; img-src data:; style-src 'unsafe-inline' data:; "
    "font-src data:; media-src data:; form-action 'none'"
)
# Kinds LinkHome wrote as UTF-8 itself: the charset is known even if a row lacks it.
UTF8_KINDS = {"html", "single_file", "readable", "dom", "text"}
# File names people get when they save or download: snapshot-12.html, snapshot-12.warc.gz…
NAME_SUFFIXES = {
    "single_file": ".html",
    "raw_html": "-original.html",
    "html": "-utf8.html",
    "dom": "-dom.html",
    "readable": "-readable.html",
    "headers": "-headers.txt",
    "text": ".txt",
    "warc": ".warc.gz",
}
NAME_PREFIXES = {
    "thumbnail": "-thumbnail",
    "favicon": "-icon",
    "pages": "-pages",
    "preview": "-preview",
}
# How long a browser may reuse an artifact before asking again (with its ETag). Short,
# because an artifact can be replaced by a retried capture and a link made private.
MAX_AGE_SECONDS = 300
# Artifacts larger than this are streamed from a temporary file rather than sent in one piece.
STREAM_BYTES = SPOOL_BYTES


@dataclass(frozen=True)
class Delivery:
    """How one response hands out an artifact; the caller knows the link and the origin."""

    view: bool = False  # show it in the browser when it can be shown; otherwise a download
    private: bool = True  # the link is private (or unknown): never in a shared cache
    # Who may frame it (CSP frame-ancestors): "*" on a separate archive origin, which does
    # not know the app's origin; a sandboxed page gives whoever frames it nothing to click.
    framed_by: str = "'self'"


def download_name(artifact: Artifact) -> str:
    stem = f"snapshot-{artifact.snapshot_id}"
    if artifact.kind in NAME_SUFFIXES:
        return stem + NAME_SUFFIXES[artifact.kind]
    base = artifact.mime.split(";", 1)[0].strip().lower()
    extension = mimetypes.guess_extension(base) or ".bin"
    return stem + NAME_PREFIXES.get(artifact.kind, "") + extension


def served_type(artifact: Artifact) -> str:
    """The stored type, with the charset the bytes need when the row lacks one."""
    mime = artifact.mime or "application/octet-stream"
    if "charset=" in mime.lower() or not mime.startswith("text/"):
        return mime
    charset = "utf-8" if artifact.kind in UTF8_KINDS else artifact.snapshot.charset
    return f"{mime}; charset={charset}" if charset else mime


def is_viewable(artifact: Artifact) -> bool:
    """Text and images render under the sandbox. A WARC is no page, and the sandbox
    blocks the browser's PDF viewer (a plugin), so those are downloads."""
    return served_type(artifact).startswith(("text/", "image/"))


def artifact_response(
    artifact: Artifact, delivery: Delivery = Delivery(), request: HttpRequest | None = None
) -> HttpResponseBase:
    """The artifact's bytes, sandboxed; raises FileNotFoundError when it has none.

    With `request`, a matching If-None-Match gets a 304 without reading the blob."""
    if artifact.status != ArtifactStatus.OK:  # before any 304: a failed one has no bytes
        raise FileNotFoundError(f"artifact {artifact.kind} has no content ({artifact.error})")
    etag = f'"{artifact.sha256}"'
    cached = get_conditional_response(request, etag=etag) if request is not None else None
    response = cached if cached is not None else _full_response(artifact, delivery)
    _protect(response, delivery)
    response["ETag"] = etag
    return response


def _full_response(artifact: Artifact, delivery: Delivery) -> HttpResponseBase:
    # Through a temporary file (memory up to SPOOL_BYTES, then disk) and streamed out: a
    # large WARC or document is never whole in the web process's memory.
    data = artifact_file(artifact)
    if artifact.kind == ArtifactKind.WARC:
        data = _gzipped(data)
    size = data.seek(0, 2)
    data.seek(0)
    response: HttpResponseBase
    if size <= STREAM_BYTES:  # already in memory (see artifact_file): one write is cheaper
        with data:
            response = HttpResponse(data.read(), content_type=served_type(artifact))
    else:
        response = FileResponse(data, content_type=served_type(artifact))
    inline = delivery.view and is_viewable(artifact)
    disposition = content_disposition_header(not inline, download_name(artifact))
    assert disposition, "download_name always names the file, so there is a header"
    response["Content-Disposition"] = disposition
    response["Content-Length"] = str(size)
    return response


def _gzipped(warc: IO[bytes]) -> IO[bytes]:
    out = tempfile.SpooledTemporaryFile(max_size=SPOOL_BYTES)  # noqa: SIM115 - the response's
    with warc:
        gzip_per_record_file(warc, out)
    out.seek(0)
    return out


def _protect(response: HttpResponseBase, delivery: Delivery) -> None:
    response["Content-Security-Policy"] = f"{ARCHIVED_CSP}; frame-ancestors {delivery.framed_by}"
    response["X-Content-Type-Options"] = "nosniff"
    response["Referrer-Policy"] = "no-referrer"  # a click out of an archive leaks no URL
    # Django's clickjacking middleware would say DENY and break LinkHome's own viewer frame;
    # browsers that know frame-ancestors (all current ones) follow it instead.
    if delivery.framed_by == "'self'":
        response["X-Frame-Options"] = "SAMEORIGIN"
    else:
        response.xframe_options_exempt = True  # type: ignore[attr-defined]  # read by Django
    scope = {"private": True} if delivery.private else {"public": True}
    patch_cache_control(response, max_age=MAX_AGE_SECONDS, **scope)
