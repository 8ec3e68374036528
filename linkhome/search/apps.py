from django.apps import AppConfig


class SearchConfig(AppConfig):
    name = "linkhome.search"
    label = "search"

    def ready(self) -> None:
        # The index follows links, tags and captures through signals, so the layers below
        # never import search (arrows point down).
        from linkhome.search import receivers

        receivers.connect(self)
