"""GET /api/snapshots/{id}/wacz and /api/export.wacz?tag=NAME: WACZ downloads, made by the
same export functions as `linkhome export-wacz` and streamed from a temporary file that is
gone once the download ends."""

from collections.abc import Callable
from pathlib import Path
from typing import Annotated

from django.http import FileResponse, HttpRequest
from ninja import Query, Router
from ninja.errors import HttpError

from linkhome.accounts.signed_in import SignedInRequest
from linkhome.api.schemas import (
    COMMON_ERRORS,
    MAX_TAG_LENGTH,
    NO_NUL,
    NOT_FOUND,
    ObjectId,
    download,
)
from linkhome.links import exports

router = Router(tags=["export"])
WACZ_200 = download(exports.WACZ_MIME, "a WACZ web archive, as an attachment")
ERRORS = COMMON_ERRORS | NOT_FOUND


@router.get("/snapshots/{snapshot_id}/wacz", response=ERRORS, openapi_extra=WACZ_200)
def snapshot_wacz(request: HttpRequest, snapshot_id: ObjectId) -> FileResponse:
    """One snapshot you may see, as a WACZ web archive."""
    return _download(lambda out: exports.export_snapshot(request.user, snapshot_id, out))


@router.get("/export.wacz", response=ERRORS, openapi_extra=WACZ_200)
def account_wacz(
    request: SignedInRequest,
    tag: Annotated[str, Query(max_length=MAX_TAG_LENGTH, pattern=NO_NUL)] = "",
) -> FileResponse:
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
