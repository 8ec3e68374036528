"""The answer to a locked-out sign-in (AXES_LOCKOUT_CALLABLE): 429, the wait in words and
in `Retry-After`. axes calls it for every path, so a wrong API token past the limit gets
the API's JSON shape."""

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render

from linkhome.accounts import throttle


def lockout_response(
    request: HttpRequest,
    original_response: HttpResponse | None = None,
    credentials: dict | None = None,
) -> HttpResponse:
    seconds = throttle.retry_after_seconds()
    message = throttle.lockout_message(seconds)
    if request.path.startswith("/api/"):
        response: HttpResponse = JsonResponse({"detail": message}, status=429)
    else:
        context = {"message": message}
        response = render(request, "registration/locked_out.html", context, status=429)
    response["Retry-After"] = str(seconds)
    return response
