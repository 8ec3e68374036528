"""Give each request an id (linkhome.lib.request_ids), echo it in `X-Request-ID`, and keep
it where the error pages and the log lines find it."""

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

from linkhome.lib import request_ids


class RequestIdMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        request_id = request_ids.request_id_from(request.headers.get(request_ids.HEADER))
        # An attribute of our own, read by 403.html/404.html and web.errors; HttpRequest's
        # stubs declare only Django's, and middleware-set attributes cannot be declared.
        request.request_id = request_id  # type: ignore[attr-defined]
        token = request_ids.current.set(request_id)
        try:
            response = self.get_response(request)
        finally:
            request_ids.current.reset(token)
        response[request_ids.HEADER] = request_id
        return response
