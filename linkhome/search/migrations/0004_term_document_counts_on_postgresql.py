"""PostgreSQL: a document count per lexeme (search_term), filled from the documents already
indexed; the backend moves it with every write and delete. SQLite's FTS5 keeps its own
(the fts5vocab view), so nothing changes there."""

from django.db import migrations

CREATE = [
    "CREATE TABLE search_term (term text PRIMARY KEY, docs integer NOT NULL)",
    "INSERT INTO search_term (term, docs) SELECT term, count(*) FROM"
    " (SELECT unnest(tsvector_to_array(document)) AS term FROM search_document) x GROUP BY term",
]
DROP = ["DROP TABLE IF EXISTS search_term"]


def _run(statements):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            for sql in statements:
                schema_editor.execute(sql)

    return run


class Migration(migrations.Migration):
    dependencies = [("search", "0003_snapshot_of_each_indexed_link")]

    operations = [migrations.RunPython(_run(CREATE), _run(DROP))]
