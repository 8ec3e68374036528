from django.http import HttpRequest
from ninja.security import HttpBearer, django_auth

from linkhome.accounts.services import user_for_token


class TokenAuth(HttpBearer):
    """`Authorization: Bearer <token>`; tokens come from `linkhome token USER`."""

    def authenticate(self, request: HttpRequest, token: str):  # noqa: ANN201 - a User or None
        user = user_for_token(token)
        if user is not None:
            request.user = user
        return user


API_AUTH = [TokenAuth(), django_auth]
