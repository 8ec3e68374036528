from django.http import HttpRequest
from ninja.security import HttpBearer
from ninja.security import SessionAuth as NinjaSessionAuth

from linkhome.accounts import throttle
from linkhome.accounts.services import user_for_token


class SignInThrottled(Exception):
    """Too many wrong tokens from this address: 429 with Retry-After (api.routes)."""


class TokenAuth(HttpBearer):
    """`Authorization: Bearer <token>`; tokens come from `linkhome token USER`. Wrong tokens
    count against the client address like wrong passwords (linkhome.accounts.throttle),
    so tokens cannot be guessed at speed."""

    def authenticate(self, request: HttpRequest, token: str):  # noqa: ANN201 - a User or None
        if throttle.token_locked_out(request):
            raise SignInThrottled
        user = user_for_token(token)
        if user is None:
            throttle.token_failed(request)
            return None
        request.user = user
        return user


class SessionAuth(NinjaSessionAuth):
    """A signed-in browser session. Without one the answer is 401, like a missing token:
    ninja would first check CSRF and answer 403 "CSRF check Failed" to a signed-out
    client, which says nothing about what is wrong."""

    def __call__(self, request: HttpRequest):  # noqa: ANN204 - a User or None
        if not request.user.is_authenticated:
            return None
        return super().__call__(request)


API_AUTH = [TokenAuth(), SessionAuth()]
