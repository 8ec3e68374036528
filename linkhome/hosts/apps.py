from django.apps import AppConfig


class HostsConfig(AppConfig):
    name = "linkhome.hosts"
    label = "hosts"
