"""GET /api/snapshots/{id}/wacz and /api/export.wacz?tag=NAME: WACZ downloads, made by the
same export functions as `linkhome export-wacz` and streamed from a temporary file that is
gone once the download ends."""

from collections.abc import Callable
from pathlib import Path

from django.http import FileResponse, HttpRequest
from ninja import Router
from ninja.errors import HttpError

from linkhome.links import exports

router = Router(tags=["export"])


@router.get("/snapshots/{snapshot_id}/wacz")
def snapshot_wacz(request: HttpRequest, snapshot_id: int) -> FileResponse:
    """One snapshot you may see, as a WACZ web archive."""
    return _download(lambda out: exports.export_snapshot(request.user, snapshot_id, out))


@router.get("/export.wacz")
def account_wacz(request: HttpRequest, tag: str = "") -> FileResponse:
    """Your links with `tag` (all of your links without it), private ones included."""
    if tag:
        return _download(lambda out: exports.export_tag(request.user, tag, out))
    return _download(lambda out: exports.export_account(request.user, out))


def _download(export: Callable[[Path], exports.WaczExport]) -> FileResponse:
    try:
        handle, done = exports.export_to_file(export)
    except exports.ExportError as exc:
        raise HttpError(404, str(exc)) from exc
    response = FileResponse(handle, as_attachment=True, filename=done.filename)
    response["Content-Type"] = exports.WACZ_MIME
    return response
