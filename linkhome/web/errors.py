"""Error pages: designed, in the reader's language, with the site's header and a way home,
carrying the request id so a person can quote it and the operator can find the traceback in
the log (linkhome.web.request_ids, LOGGING in settings). The API's paths answer JSON.

The archive origin keeps its own minimal answers (web/archive_origin.py): it serves nothing
but archived artifacts, so no page of the app is ever rendered there.
"""

from django.http import (
    HttpRequest,
    HttpResponse,
    HttpResponseBadRequest,
    HttpResponseServerError,
    JsonResponse,
)
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils.translation import gettext as _

from linkhome.lib import request_ids


def server_error(request: HttpRequest) -> HttpResponse:
    """handler500. Rendered without the request's context processors: whatever broke the
    page (say the database) must not break the error page too."""
    request_id = _request_id(request)
    if _is_api(request):
        body = {"detail": _("Server error; quote request id %(id)s") % {"id": request_id}}
        return JsonResponse(body | {"request_id": request_id}, status=500)
    return HttpResponseServerError(render_to_string("500.html", {"request_id": request_id}))


def bad_request(request: HttpRequest, exception: Exception) -> HttpResponse:
    """handler400, standalone too: a 400 often means the request itself (its Host header,
    say) cannot be trusted, and the site's layout reads it."""
    html = render_to_string("400.html", {"request_id": _request_id(request)})
    return HttpResponseBadRequest(html)


def forbidden(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    """handler403 (a refused CSRF check has its own view, CSRF_FAILURE_VIEW: the same page)."""
    if _is_api(request):
        return JsonResponse({"detail": _("You may not do this.")}, status=403)
    return render(request, "403.html", status=403)


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    return forbidden(request)


def not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    """handler404: a mistyped address, a deleted link, someone else's private link alike
    (404, never 403: a private link does not exist for others)."""
    if _is_api(request):
        return JsonResponse({"detail": _("Not found.")}, status=404)
    return render(request, "404.html", status=404)


def too_many(request: HttpRequest, message: str, retry_after: int) -> HttpResponse:
    """429 with `Retry-After` and the reason in words (the add rate limit)."""
    response = render(request, "429.html", {"message": message}, status=429)
    response["Retry-After"] = str(retry_after)
    return response


def _is_api(request: HttpRequest) -> bool:
    return request.path.startswith("/api/")


def _request_id(request: HttpRequest) -> str:
    return getattr(request, "request_id", None) or request_ids.current.get()
