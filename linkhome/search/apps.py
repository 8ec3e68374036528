from django.apps import AppConfig


class SearchConfig(AppConfig):
    name = "linkhome.search"
    label = "search"
