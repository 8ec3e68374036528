"""Error pages that carry the request id, so a person can quote it and the operator can
find the traceback in the log (linkhome.web.request_ids, LOGGING in settings)."""

from django.http import HttpRequest, HttpResponse, HttpResponseServerError, JsonResponse
from django.template.loader import render_to_string
from django.utils.translation import gettext as _

from linkhome.lib import request_ids


def server_error(request: HttpRequest) -> HttpResponse:
    """handler500. Rendered without the request's context processors: whatever broke the
    page (say the database) must not break the error page too."""
    request_id = getattr(request, "request_id", None) or request_ids.current.get()
    if request.path.startswith("/api/"):
        body = {"detail": _("Server error; quote request id %(id)s") % {"id": request_id}}
        return JsonResponse(body | {"request_id": request_id}, status=500)
    return HttpResponseServerError(render_to_string("500.html", {"request_id": request_id}))
