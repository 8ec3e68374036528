from django.apps import AppConfig


class RecommendConfig(AppConfig):
    name = "linkhome.recommend"
    label = "recommend"

    def ready(self) -> None:
        # Profiles follow captures and deletions through signals, so the layers below never
        # import recommend (arrows point down). Listed after search in INSTALLED_APPS, so
        # its receivers run after the index has the new text.
        from linkhome.recommend import receivers

        receivers.connect(self)
