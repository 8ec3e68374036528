"""The 导入 (import) and 导出 (export) pages: thin views over imports.services and
imports.exports, the same as the API and the CLI. Only the signed-in person's own imports
and links are ever shown or exported."""

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_safe

from linkhome.accounts.signed_in import SignedInRequest
from linkhome.imports import exports, services
from linkhome.imports.models import ImportJob
from linkhome.links.services import LinkError, explain
from linkhome.web.filters import split_tags

RECENT_JOBS = 20


@login_required
def imports_page(request: SignedInRequest) -> HttpResponse:
    """The upload form and the person's recent imports; POST starts one."""
    error, status = "", 200
    if request.method == "POST":
        try:
            services.check_declared_size(request.META.get("CONTENT_LENGTH"))
            job = _start(request)
        except services.FileTooLarge as exc:
            error, status = explain(exc), 413
        except LinkError as exc:
            error, status = explain(exc), 400
        else:
            return redirect("import", job_id=job.pk)
    context = {
        "jobs": services.jobs_of(request.user)[:RECENT_JOBS],
        "error": error,
        "max_bytes": services.human_size(services.settings.IMPORT_MAX_BYTES)
        if services.settings.IMPORT_MAX_BYTES
        else "",
        "formats": services.FORMAT_NAMES,
    }
    return render(request, "web/imports.html", context, status=status)


def _start(request: SignedInRequest) -> ImportJob:
    upload = request.FILES.get("file")
    if upload is None:
        raise services.ImportRefused(services.NO_FILE)
    limit = services.settings.IMPORT_MAX_BYTES
    if limit and (upload.size or 0) > limit:
        raise services.too_large_message(limit)
    visibility = request.POST.get("visibility") or None
    return services.start_import(
        request.user,
        upload,
        file_name=upload.name or "",
        tags=split_tags(request.POST.get("tags", "")),
        visibility=visibility if visibility in ("public", "private") else None,
    )


def _own_job(request: SignedInRequest, job_id: int) -> ImportJob:
    job = services.jobs_of(request.user).filter(pk=job_id).first()
    if job is None:
        raise Http404("no such import")
    return job


@login_required
@require_safe
def import_page(request: SignedInRequest, job_id: int) -> HttpResponse:
    job = _own_job(request, job_id)
    return render(request, "web/import.html", _job_context(job))


@login_required
@require_safe
def import_progress(request: SignedInRequest, job_id: int) -> HttpResponse:
    """The progress box alone, polled by htmx every second until the job is done."""
    job = _own_job(request, job_id)
    return render(request, "web/_import_progress.html", _job_context(job))


def _job_context(job: ImportJob) -> dict:
    problems = list(job.problems.order_by("position")[:50])
    return {
        "job": job,
        "percent": round(job.progress * 100),
        "captures_finished": services.captures_finished(job),
        "kept": job.merged + job.unchanged,
        "problems": [(problem, services.reason_text(problem)) for problem in problems],
    }


@login_required
@require_safe
def import_report(request: SignedInRequest, job_id: int) -> StreamingHttpResponse:
    job = _own_job(request, job_id)
    response = StreamingHttpResponse(services.report(job), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="import-{job.pk}-report.csv"'
    return response


@login_required
@require_safe
def export_page(request: SignedInRequest) -> HttpResponse:
    return render(request, "web/export.html", {"formats": exports.FORMATS})


@login_required
@require_safe
def export_download(request: SignedInRequest) -> StreamingHttpResponse:
    kind = request.GET.get("format", "netscape")
    if kind not in exports.FORMATS:
        raise Http404("no such format")
    tags = [tag.strip() for tag in split_tags(request.GET.get("tags", ""))]
    body = (piece.encode("utf-8") for piece in exports.export(request.user, kind, tags))
    response = StreamingHttpResponse(body, content_type=exports.CONTENT_TYPES[kind])
    response["Content-Disposition"] = f'attachment; filename="{exports.file_name(kind)}"'
    response["X-Content-Type-Options"] = "nosniff"
    return response
