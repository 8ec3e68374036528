from django.apps import AppConfig


class LinksConfig(AppConfig):
    name = "linkhome.links"
    label = "links"
