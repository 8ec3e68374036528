"""Prepare a process to use LinkHome: settings, data directory, secret, migrations.

Any command works on a fresh data directory: it is created and migrated on first use.
"""

import fcntl
import os
import secrets
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path


def setup_django() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "linkhome.settings")
    data_dir = Path(os.environ.get("LINKHOME_DATA_DIR", "./data")).resolve()
    data_dir.mkdir(parents=True, exist_ok=True)
    os.environ.setdefault("LINKHOME_SECRET_KEY", _secret_key(data_dir))
    import django

    django.setup()


def _secret_key(data_dir: Path) -> str:
    # One random key per installation, kept beside the data, so sessions survive restarts.
    path = data_dir / "secret_key"
    if not path.exists():
        _write_secret(path)
    return path.read_text().strip()


def _write_secret(path: Path) -> None:
    # Readable by the owner only from the first byte; written whole, then renamed, so a
    # process starting at the same moment never reads a half-written key.
    partial = path.with_name(f".secret_key.{os.getpid()}")
    descriptor = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(descriptor, "w") as handle:
        handle.write(secrets.token_urlsafe(50))
    try:
        os.link(partial, path)  # fails if another process won: its key stands
    except FileExistsError:
        pass
    finally:
        partial.unlink()


def migrate_if_needed() -> None:
    """Migrate when migrations are pending, one process at a time: a worker and a command
    started together on a fresh data directory (or several machines on a new database)
    would otherwise both create the same tables, and the second would fail."""
    from django.core.management import call_command

    if not _pending():
        return
    with _migration_lock():
        if _pending():  # another process may have migrated while this one waited
            call_command("migrate", interactive=False, verbosity=0)


def _pending() -> bool:
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor

    executor = MigrationExecutor(connection)
    return bool(executor.migration_plan(executor.loader.graph.leaf_nodes()))


# Any fixed number, the same in every LinkHome process: PostgreSQL's advisory lock key.
_MIGRATION_LOCK_KEY = 0x4C494E4B  # "LINK"


@contextmanager
def _migration_lock() -> Iterator[None]:
    """PostgreSQL: a session advisory lock, which holds across machines; SQLite: an exclusive
    lock on a file beside the database (one machine, which is all SQLite serves)."""
    from django.conf import settings
    from django.db import connection

    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_lock(%s)", [_MIGRATION_LOCK_KEY])
        try:
            yield
        finally:
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_unlock(%s)", [_MIGRATION_LOCK_KEY])
        return
    lock_path = Path(settings.DATA_DIR) / ".migrate.lock"
    with lock_path.open("a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)  # released when the file is closed
        yield


def ready() -> None:
    setup_django()
    migrate_if_needed()
