from django.apps import AppConfig


class NotifyConfig(AppConfig):
    name = "linkhome.notify"
    label = "notify"
