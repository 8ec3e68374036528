from django.apps import AppConfig


class ImportsConfig(AppConfig):
    name = "linkhome.imports"
    label = "imports"
