"""Prepare a process to use LinkHome: settings, data directory, secret, migrations.

Any command works on a fresh data directory: it is created and migrated on first use.
"""

import os
import secrets
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
    from django.core.management import call_command
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor

    executor = MigrationExecutor(connection)
    if executor.migration_plan(executor.loader.graph.leaf_nodes()):
        call_command("migrate", interactive=False, verbosity=0)


def ready() -> None:
    setup_django()
    migrate_if_needed()
