"""How archived bytes are handed out: the one policy the web views and the API share.

An archived page's scripts must never act as LinkHome. `sandbox` (without allow-scripts
or allow-same-origin) gives the response an opaque origin and blocks scripts; the rest
of the policy keeps a page from loading anything from the network when opened.
"""

from django.http import HttpResponse

from linkhome.capture.artifacts import artifact_bytes
from linkhome.capture.models import Artifact, ArtifactKind
from linkhome.capture.warc_export import gzip_per_record

ARCHIVED_CSP = (
    "sandbox; default-src 'none'; img-src data:; style-src 'unsafe-inline' data:; "
    "font-src data:; media-src data:; form-action 'none'"
)


def artifact_response(artifact: Artifact) -> HttpResponse:
    """The artifact's bytes, sandboxed; raises FileNotFoundError when it has none."""
    data = artifact_bytes(artifact)
    if artifact.kind == ArtifactKind.WARC:
        data = gzip_per_record(data)
    response = HttpResponse(data, content_type=artifact.mime or "application/octet-stream")
    response["Content-Security-Policy"] = ARCHIVED_CSP
    response["X-Content-Type-Options"] = "nosniff"
    response["Referrer-Policy"] = "no-referrer"
    if artifact.kind == ArtifactKind.WARC:
        name = f"snapshot-{artifact.snapshot_id}.warc.gz"
        response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
