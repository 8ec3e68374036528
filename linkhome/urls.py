from django.contrib import admin
from django.urls import include, path

from linkhome.api.routes import api

urlpatterns = [
    path("admin/", admin.site.urls),
    path("api/", api.urls),
    path("", include("linkhome.web.urls")),
]

handler400 = "linkhome.web.errors.bad_request"
handler500 = "linkhome.web.errors.server_error"
handler403 = "linkhome.web.errors.forbidden"
handler404 = "linkhome.web.errors.not_found"
