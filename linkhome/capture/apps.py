from django.apps import AppConfig


class CaptureConfig(AppConfig):
    name = "linkhome.capture"
    label = "capture"
