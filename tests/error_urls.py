"""A urlconf for tests/test_server_errors.py: the site plus views that fail on purpose."""

from django.urls import path

from linkhome.urls import handler400, handler500
from linkhome.urls import urlpatterns as site


def explode(request):  # noqa: ANN001, ANN201
    raise RuntimeError("boom on purpose")


urlpatterns = [
    path("boom/", explode),
    path("api/boom/", explode),
    *site,
]
__all__ = ["handler400", "handler500", "urlpatterns"]
