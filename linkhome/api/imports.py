"""POST /api/imports, GET /api/imports/{id} (and its report), GET /api/export: the same
services as the 导入 and 导出 pages and `linkhome import` / `linkhome export`."""

from typing import Literal

from django.conf import settings
from django.http import StreamingHttpResponse
from ninja import Router, Schema, Status
from ninja.errors import HttpError

from linkhome.accounts.signed_in import SignedInRequest
from linkhome.api.schemas import COMMON_ERRORS, NOT_FOUND, ErrorOut, ObjectId, TagQuery
from linkhome.imports import exports, services
from linkhome.imports.models import ImportJob
from linkhome.links.services import LinkError, explain

router = Router(tags=["import and export"])


class ImportOut(Schema):
    id: int
    status: str
    file_name: str
    format: str
    size: int
    progress: float
    entries_read: int
    added: int
    merged: int
    unchanged: int
    duplicates: int
    refused: int
    captures_queued: int
    captures_finished: int
    error: str
    created_at: str
    finished_at: str | None
    report_url: str


UPLOAD = {
    "requestBody": {
        "required": True,
        "content": {
            "multipart/form-data": {
                "schema": {
                    "type": "object",
                    "required": ["file"],
                    "properties": {
                        "file": {"type": "string", "format": "binary"},
                        "tags": {"type": "array", "items": {"type": "string"}},
                        "visibility": {"type": "string", "enum": ["public", "private"]},
                    },
                }
            }
        },
    }
}
CSV_200 = {
    "responses": {
        200: {
            "description": "the entries refused or repeated, with their line and reason (CSV)",
            "content": {"text/csv": {"schema": {"type": "string"}}},
        }
    }
}
EXPORT_200 = {
    "responses": {
        200: {
            "description": "your links as a bookmark file, as an attachment",
            "content": {
                "text/html": {"schema": {"type": "string"}},
                "text/csv": {"schema": {"type": "string"}},
                "application/json": {
                    "schema": {
                        "type": "object",
                        "properties": {"linkhome": {"type": "object"}, "links": {"type": "array"}},
                    }
                },
            },
        }
    }
}


def _out(job: ImportJob) -> dict:
    return {**services.summary(job), "report_url": f"/api/imports/{job.pk}/report"}


@router.post(
    "/imports",
    response={201: ImportOut, 400: ErrorOut, 413: ErrorOut} | COMMON_ERRORS,
    openapi_extra=UPLOAD,
)
def start_import(request: SignedInRequest):  # noqa: ANN201
    """Upload a bookmark file (multipart `file`, optional `tags` and `visibility`); its
    import runs in the background: poll GET /api/imports/{id}. A file too large (413), empty
    or not a bookmark file (400) is refused at once, in the Accept-Language's language."""
    try:
        services.check_declared_size(request.META.get("CONTENT_LENGTH"))
        upload = request.FILES.get("file")
        if upload is None:
            raise services.ImportRefused(services.NO_FILE)
        if settings.IMPORT_MAX_BYTES and (upload.size or 0) > settings.IMPORT_MAX_BYTES:
            raise services.too_large_message(settings.IMPORT_MAX_BYTES)
        visibility = request.POST.get("visibility") or None
        job = services.start_import(
            request.user,
            upload,
            file_name=upload.name or "",
            tags=request.POST.getlist("tags"),
            visibility=visibility,
        )
    except services.FileTooLarge as exc:
        raise HttpError(413, explain(exc)) from exc
    except LinkError as exc:
        raise HttpError(400, explain(exc)) from exc
    return Status(201, _out(job))


@router.get("/imports/{job_id}", response={200: ImportOut} | COMMON_ERRORS | NOT_FOUND)
def import_status(request: SignedInRequest, job_id: ObjectId) -> dict:
    """One of your imports: status, progress (0–1 of the file read) and what the entries
    became."""
    return _out(_job(request, job_id))


@router.get("/imports/{job_id}/report", response=COMMON_ERRORS | NOT_FOUND, openapi_extra=CSV_200)
def import_report(request: SignedInRequest, job_id: ObjectId) -> StreamingHttpResponse:
    """The import's report: each entry refused or repeated, with its line and the reason."""
    job = _job(request, job_id)
    response = StreamingHttpResponse(services.report(job), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="import-{job.pk}-report.csv"'
    return response


def _job(request: SignedInRequest, job_id: int) -> ImportJob:
    job = services.jobs_of(request.user).filter(pk=job_id).first()
    if job is None:
        raise HttpError(404, "no such import")
    return job


@router.get("/export", response=COMMON_ERRORS, openapi_extra=EXPORT_200)
def export(
    request: SignedInRequest,
    format: Literal["netscape", "json", "csv"] = "netscape",  # noqa: A002 - the contract's name
    tag: TagQuery = [],  # noqa: B006
) -> StreamingHttpResponse:
    """Your links (private ones too) as Netscape bookmark HTML, JSON with everything
    (snapshots and artifacts included) or CSV; with `tag`, only links with every one of
    them. Streamed as it is read."""
    return download(request, format, tag)


def download(request: SignedInRequest, kind: str, tags: list[str]) -> StreamingHttpResponse:
    body = (piece.encode("utf-8") for piece in exports.export(request.user, kind, tags))
    response = StreamingHttpResponse(body, content_type=exports.CONTENT_TYPES[kind])
    response["Content-Disposition"] = f'attachment; filename="{exports.file_name(kind)}"'
    response["X-Content-Type-Options"] = "nosniff"
    return response
