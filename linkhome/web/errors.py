"""Error pages that carry the request id, so a person can quote it and the operator can
find the traceback in the log (linkhome.web.request_ids, LOGGING in settings)."""

from django.http import (
    HttpRequest,
    HttpResponse,
    HttpResponseBadRequest,
    HttpResponseServerError,
    JsonResponse,
)
from django.template.loader import render_to_string
from django.utils.translation import gettext as _

from linkhome.lib import request_ids


def server_error(request: HttpRequest) -> HttpResponse:
    """handler500. Rendered without the request's context processors: whatever broke the
    page (say the database) must not break the error page too."""
    request_id = _request_id(request)
    if request.path.startswith("/api/"):
        body = {"detail": _("Server error; quote request id %(id)s") % {"id": request_id}}
        return JsonResponse(body | {"request_id": request_id}, status=500)
    return HttpResponseServerError(render_to_string("500.html", {"request_id": request_id}))


def bad_request(request: HttpRequest, exception: Exception) -> HttpResponse:
    """handler400, standalone too: a 400 often means the request itself (its Host header,
    say) cannot be trusted, and the site's layout reads it."""
    html = render_to_string("400.html", {"request_id": _request_id(request)})
    return HttpResponseBadRequest(html)


def _request_id(request: HttpRequest) -> str:
    return getattr(request, "request_id", None) or request_ids.current.get()
