"""A Content-Security-Policy for LinkHome's own pages.

The snapshot page shows HTML that came from other sites (the readable text, sanitized at
capture time). Capture now stores its images as data: URIs, but an older snapshot may
still name images on their original site: with this policy the reader's browser loads
nothing from anywhere but LinkHome (and its archive origin), so reading never tells
another site who reads, and an injected script or style could not run either.

Archived artifacts carry their own, stricter policy (capture.serving): a response that
already has one is left as it is.
"""

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

from linkhome.web.archive_origin import archive_origin

HEADER = "Content-Security-Policy"


def content_security_policy() -> str:
    """The policy of the app's pages. The archive origin, when set, serves the snapshot
    page's frame and the lists' favicons (artifacts redirect there)."""
    archive = f" {archive_origin()}" if archive_origin() else ""
    directives = (
        "default-src 'self'",
        f"img-src 'self' data:{archive}",  # data: for the readable HTML's archived images
        "style-src 'self'",
        "script-src 'self'",
        f"frame-src 'self'{archive}",
        "form-action 'self'",
        "frame-ancestors 'self'",
        "base-uri 'none'",
        "object-src 'none'",
    )
    return "; ".join(directives)


class ContentSecurityPolicyMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if HEADER not in response:  # an archived artifact's sandbox policy stays alone
            response[HEADER] = content_security_policy()
        return response
