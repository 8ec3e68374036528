"""One backend per database vendor, behind the interface in base.py."""

from django.db import connection

from linkhome.search.backends.base import Backend


def backend() -> Backend:
    """The backend for the default database."""
    if connection.vendor == "postgresql":
        from linkhome.search.backends.postgres import PostgresBackend

        return PostgresBackend()
    if connection.vendor == "sqlite":
        from linkhome.search.backends.sqlite_fts5 import SqliteBackend

        return SqliteBackend()
    raise NotImplementedError(f"search has no backend for {connection.vendor}")
