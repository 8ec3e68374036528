from django.apps import AppConfig


class ArchiveConfig(AppConfig):
    """What is kept: snapshots, artifacts, their serving and export.

    The label stays "capture" (the app's name before the archive and the capture engine were
    split), so the tables (capture_snapshot, ...) and the migration history keep their names
    and an existing install upgrades without a schema change.
    """

    name = "linkhome.archive"
    label = "capture"
