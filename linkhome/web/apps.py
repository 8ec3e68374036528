from django.apps import AppConfig


class WebConfig(AppConfig):
    name = "linkhome.web"
    label = "web"
