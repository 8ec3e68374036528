"""SQLite: which snapshot each indexed link was built from, in a table of two integers.

FTS5 reads a whole stored row (the long body included) to return any one column, so joining
snapshots through the FTS table's own snapshot_id cost 15 µs a candidate; a plain rowid
table answers in a fraction of that. PostgreSQL keeps the id in its index row already."""

from django.db import migrations

CREATE = [
    "CREATE TABLE search_fts_snapshot (link_id INTEGER PRIMARY KEY, snapshot_id INTEGER NOT NULL)",
    "INSERT INTO search_fts_snapshot (link_id, snapshot_id) SELECT rowid, snapshot_id FROM search_fts",
]
DROP = ["DROP TABLE IF EXISTS search_fts_snapshot"]


def _on_sqlite(statements):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor == "sqlite":
            for sql in statements:
                schema_editor.execute(sql)

    return run


class Migration(migrations.Migration):
    dependencies = [("search", "0002_full_text_index_table")]

    operations = [migrations.RunPython(_on_sqlite(CREATE), _on_sqlite(DROP))]
