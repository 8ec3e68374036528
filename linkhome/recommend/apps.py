from django.apps import AppConfig


class RecommendConfig(AppConfig):
    name = "linkhome.recommend"
    label = "recommend"
