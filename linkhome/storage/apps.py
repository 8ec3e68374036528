from django.apps import AppConfig


class StorageConfig(AppConfig):
    name = "linkhome.storage"
    label = "storage"
