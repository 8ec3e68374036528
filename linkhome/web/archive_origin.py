"""LINKHOME_ARCHIVE_ORIGIN: archived bytes on an origin of their own.

When it is set, artifacts are served only there and that origin serves nothing else, so a
page that slipped out of its sandbox would find no session, no API and no forms. The app's
cookies never reach that origin, so a private artifact is opened with a short-lived URL
signed for one artifact and one viewer, made when its owner views the snapshot page. On
the archive origin the session is never consulted: the signature is the only credential.
"""

from collections.abc import Callable
from typing import cast
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AnonymousUser
from django.core import signing
from django.http import HttpRequest, HttpResponse, HttpResponseNotFound
from django.urls import Resolver404, resolve, reverse

from linkhome.archive.models import Artifact

SIGNED_URL_SECONDS = 15 * 60  # long enough to read a page, short enough to be worthless later
_SIGNER = signing.TimestampSigner(salt="linkhome.web.archive_origin")
ARTIFACT_VIEW = "artifact"


def archive_origin() -> str:
    return settings.ARCHIVE_ORIGIN


def _host_of(origin: str) -> str:
    """host[:port] as browsers send it in Host (a default port is left out)."""
    parts = urlsplit(origin)
    default = {"http": 80, "https": 443}[parts.scheme]
    port = f":{parts.port}" if parts.port and parts.port != default else ""
    return f"{parts.hostname}{port}"


def on_archive_origin(request: HttpRequest) -> bool:
    # The host decides, not the scheme: behind a TLS proxy Django may see plain http.
    origin = archive_origin()
    return bool(origin) and request.get_host().lower() == _host_of(origin)


def must_redirect(request: HttpRequest) -> bool:
    """An artifact asked for on the app's origin while an archive origin is set."""
    return bool(archive_origin()) and not on_archive_origin(request)


def sign(artifact: Artifact, viewer_id: int) -> str:
    return _SIGNER.sign(f"{artifact.pk}.{viewer_id}")


def _signed(request: HttpRequest) -> tuple[int, int] | None:
    """(artifact id, viewer id) of a valid, fresh `sig`, else None."""
    try:
        value = _SIGNER.unsign(request.GET.get("sig", ""), max_age=SIGNED_URL_SECONDS)
    except signing.BadSignature:  # SignatureExpired is one
        return None
    artifact_id, _, viewer_id = value.partition(".")
    return int(artifact_id), int(viewer_id)


def viewer_on_archive(request: HttpRequest):  # noqa: ANN201 - a user or AnonymousUser
    """Who asks on the archive origin: the viewer a signature names, else nobody (who sees
    public artifacts only). The session is not asked, whatever cookies arrive."""
    signed = _signed(request)
    user = get_user_model().objects.filter(pk=signed[1], is_active=True).first() if signed else None
    return user or AnonymousUser()


def signature_fits(request: HttpRequest, artifact: Artifact) -> bool:
    """A signature opens the one artifact it was made for, not its neighbours."""
    signed = _signed(request)
    return signed is None or signed[0] == artifact.pk


def artifact_href(request: HttpRequest, artifact: Artifact, private: bool) -> str:
    """Where the app links to an artifact: its own path, or the archive origin (signed for
    the viewer when the link is private, since no cookie will vouch for them there)."""
    path = reverse(ARTIFACT_VIEW, args=[artifact.snapshot_id, artifact.kind])
    if not archive_origin():
        return path
    # A private artifact is shown to its owner alone, so the viewer is signed in and has an id.
    query = f"?sig={sign(artifact, cast(int, request.user.pk))}" if private else ""
    return f"{archive_origin()}{path}{query}"


class ArchiveOriginMiddleware:
    """On the archive origin only artifacts exist: everything else (pages, the API, the
    admin, static files) is 404, so nothing there can be driven by an archived page."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if on_archive_origin(request) and not _is_artifact_path(request.path_info):
            return HttpResponseNotFound("Only archived artifacts are served on this origin.")
        return self.get_response(request)


def _is_artifact_path(path: str) -> bool:
    try:
        return resolve(path).url_name == ARTIFACT_VIEW
    except Resolver404:
        return False
