from django.apps import AppConfig, apps


class WorkerConfig(AppConfig):
    name = "linkhome.worker"
    label = "worker"

    def ready(self) -> None:
        # The domain announces "capture requested"; only the worker knows how to queue it.
        # And the index and related lists follow edits, in that order (worker/edits.py).
        from linkhome.worker import dispatch, edits

        dispatch.connect()
        edits.connect(apps.get_app_config("search"))
