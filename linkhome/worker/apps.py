from django.apps import AppConfig


class WorkerConfig(AppConfig):
    name = "linkhome.worker"
    label = "worker"

    def ready(self) -> None:
        # The domain announces "capture requested"; only the worker knows how to queue it.
        from linkhome.worker import dispatch

        dispatch.connect()
