"""Django's PostgreSQL backend for test runs, emptying tables faster between tests.

A transactional test (`django_db(transaction=True)`) ends with a flush of every table.
Django's PostgreSQL flush is one TRUNCATE of all 27 tables, which gives each table and index
a new file: 0.3-0.4 s on this machine, for tables that hold a few rows. DELETE empties the
same tables in 0.02-0.04 s. Django makes every foreign key on PostgreSQL DEFERRABLE
INITIALLY DEFERRED and flushes in one transaction, so the order of the tables does not
matter. Everything else, including every query the app makes, is Django's own backend.
"""

from django.db.backends.postgresql import base


class DatabaseOperations(base.DatabaseOperations):
    def sql_flush(
        self,
        style: object,
        tables: list[str],
        *,
        reset_sequences: bool = False,
        allow_cascade: bool = False,
    ) -> list[str]:
        if reset_sequences or allow_cascade or not tables:
            return super().sql_flush(
                style, tables, reset_sequences=reset_sequences, allow_cascade=allow_cascade
            )
        return [f"DELETE FROM {self.quote_name(table)};" for table in tables]


class DatabaseWrapper(base.DatabaseWrapper):
    ops_class = DatabaseOperations
