"""The full-text index table, one per vendor: an FTS5 virtual table (with an fts5vocab view
of its terms) on SQLite; a table with a GIN-indexed tsvector on PostgreSQL. Written out here,
not imported from the backends, so this migration stays what it was when it ran."""

from django.db import migrations

SQLITE = [
    "CREATE VIRTUAL TABLE search_fts USING fts5("
    "snapshot_id UNINDEXED, title, tags, site, url, body, tokenize = 'ascii')",
    "CREATE VIRTUAL TABLE search_fts_vocab USING fts5vocab(search_fts, 'row')",
]
SQLITE_DROP = ["DROP TABLE IF EXISTS search_fts_vocab", "DROP TABLE IF EXISTS search_fts"]
POSTGRES = [
    "CREATE TABLE search_document (link_id bigint PRIMARY KEY, snapshot_id bigint NOT NULL,"
    " title text NOT NULL, tags text NOT NULL, site text NOT NULL, url text NOT NULL,"
    " body text NOT NULL, document tsvector NOT NULL)",
    "CREATE INDEX search_document_gin ON search_document USING gin (document)",
]
POSTGRES_DROP = ["DROP TABLE IF EXISTS search_document"]


def _run(statements_by_vendor):
    def run(apps, schema_editor):
        statements = statements_by_vendor.get(schema_editor.connection.vendor)
        if statements is None:
            raise NotImplementedError(f"search has no index for {schema_editor.connection.vendor}")
        for sql in statements:
            schema_editor.execute(sql)

    return run


class Migration(migrations.Migration):
    dependencies = [("search", "0001_index_version_record")]

    operations = [
        migrations.RunPython(
            _run({"sqlite": SQLITE, "postgresql": POSTGRES}),
            _run({"sqlite": SQLITE_DROP, "postgresql": POSTGRES_DROP}),
        ),
    ]
