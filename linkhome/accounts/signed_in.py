"""The type of a request that only a signed-in person gets to: a web view behind
`login_required`, or an API route behind API_AUTH (which sets `request.user` from a token or
the session). There `request.user` is a User, never AnonymousUser, and the services that
take an owner may be given it.

For the type checker only: Django builds plain HttpRequests, and nothing checks this at
run time; the decorator or the API's authentication is what makes it true. This is the
pattern django-stubs documents for `login_required` views."""

from django.contrib.auth.models import User
from django.http import HttpRequest


class SignedInRequest(HttpRequest):
    user: User
