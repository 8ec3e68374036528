"""The embedded default: an SQLite FTS5 table of analysed tokens, ranked by bm25.

FTS5's `ascii` tokenizer splits only at ASCII punctuation and spaces and keeps every other
character as part of a token, so it indexes exactly the tokens our analyzer wrote. The link
id is the rowid; the snapshot id comes first among the columns so reading it never walks
past a long body. The stored token text also serves `stored()` (cheap re-indexing after a
tag edit, and the terms recommendations start from).
"""

from collections.abc import Mapping, Sequence

from django.db import connection

from linkhome.archive.models import Snapshot
from linkhome.search.backends.base import (
    RANK_WINDOW,
    WEIGHTS,
    Clause,
    Dialect,
    Row,
    filters,
    joins,
    needs_snapshot,
    newest_first,
    quantize,
    table,
    terms_clause,
)
from linkhome.search.documents import FIELDS, Document
from linkhome.search.matching import All, Any, Expr, InField, Phrase, Plan, Term, all_of

FTS = "search_fts"
VOCAB = "search_fts_vocab"
SNAPSHOTS = "search_fts_snapshot"  # link_id → snapshot_id, cheap to join (migration 0003)
COLUMNS = ("snapshot_id", "title", "tags", "site", "url", "body")  # the table's order
SCORE = f"bm25({FTS}, 0, {', '.join(str(WEIGHTS[c]) for c in COLUMNS[1:])})"
# REGEXP is the Python function Django registers on every SQLite connection.
DIALECT = Dialect(regex="REGEXP", contains="instr")
# "more like this" terms are weighted by repeating them: bm25 adds up every repeat.
WEIGHT_LEVELS = 4


def render(expr: Expr) -> str:
    """An expression in FTS5 query syntax; every token quoted, so none reads as an operator."""
    match expr:
        case Term(token):
            return _quote(token)
        case Phrase(tokens):
            return _quote(" ".join(tokens))
        case All(items):
            return "(" + " AND ".join(render(item) for item in items) + ")"
        case Any(items):
            return "(" + " OR ".join(render(item) for item in items) + ")"
        case InField(field, tokens):
            return f"{field} : {_quote(' '.join(tokens))}"


def _quote(text: str) -> str:
    return '"' + text.replace('"', '""') + '"'


class SqliteBackend:
    def write(self, documents: Sequence[Document]) -> None:
        self.delete([d.link_id for d in documents])
        rows = [(d.link_id, *(getattr(d, c) for c in COLUMNS)) for d in documents]
        marks = ", ".join(["%s"] * (len(COLUMNS) + 1))
        with connection.cursor() as cursor:
            cursor.executemany(
                f"INSERT INTO {FTS}(rowid, {', '.join(COLUMNS)}) VALUES ({marks})", rows
            )
            cursor.executemany(
                f"INSERT INTO {SNAPSHOTS}(link_id, snapshot_id) VALUES (%s, %s)",
                [(d.link_id, d.snapshot_id) for d in documents],
            )

    def delete(self, link_ids: Sequence[int]) -> None:
        ids = [(i,) for i in link_ids]
        with connection.cursor() as cursor:
            cursor.executemany(f"DELETE FROM {FTS} WHERE rowid = %s", ids)
            cursor.executemany(f"DELETE FROM {SNAPSHOTS} WHERE link_id = %s", ids)

    def find(self, plan: Plan, viewer_id: int | None, offset: int, limit: int) -> list[Row]:
        clause = self._where(plan, viewer_id)
        sql = self._ranked(plan, clause) if plan.match else self._newest(plan, clause)
        rows = _fetch(sql, [*clause.params, limit, offset])
        return [Row(link_id, snapshot_id, -score) for link_id, snapshot_id, score in rows]

    def _newest(self, plan: Plan, clause: Clause) -> str:
        return (
            f"SELECT {FTS}.rowid, m.snapshot_id, 0 FROM {FTS}{self._joins(plan)}"
            f" WHERE {clause.sql} ORDER BY {newest_first()} LIMIT %s OFFSET %s"
        )

    def _ranked(self, plan: Plan, clause: Clause) -> str:
        # FTS5 hands out matches newest first (rowid DESC) and stops at the window: bm25 is
        # computed for those only, the snapshot id looked up for the page's rows only.
        window = (
            f"SELECT {FTS}.rowid AS id, {SCORE} AS score FROM {FTS}{self._joins(plan)}"
            f" WHERE {clause.sql} ORDER BY {FTS}.rowid DESC LIMIT {RANK_WINDOW}"
        )
        ranked = f"SELECT id, score FROM ({window}) ORDER BY score, id DESC LIMIT %s OFFSET %s"
        return _with_snapshot_ids(ranked)

    def count(self, plan: Plan, viewer_id: int | None, limit: int) -> int:
        # Newest first, as find() goes: an after: filter then passes its rows early.
        clause = self._where(plan, viewer_id)
        matches = (
            f"SELECT 1 FROM {FTS}{self._joins(plan)} WHERE {clause.sql}"
            f" ORDER BY {FTS}.rowid DESC LIMIT %s"
        )
        return _fetch(f"SELECT count(*) FROM ({matches}) c", [*clause.params, limit])[0][0]

    def _joins(self, plan: Plan | None = None) -> str:
        with_snapshot = plan is not None and needs_snapshot(plan)
        via = f" JOIN {SNAPSHOTS} m ON m.link_id = {FTS}.rowid"
        return joins(f"{FTS}.rowid", "m.snapshot_id", snapshot=with_snapshot, via=via)

    def _where(self, plan: Plan, viewer_id: int | None) -> Clause:
        clause = filters(plan, viewer_id, DIALECT)
        match = all_of([plan.match, plan.narrow])
        if match is not None:
            query = render(match)
            if plan.exclude is not None:
                query = f"{query} NOT {render(plan.exclude)}"
            clause.parts.insert(0, f"{FTS} MATCH %s")
            clause.params.insert(0, query)
        elif plan.exclude is not None:
            excluded = f"SELECT rowid FROM {FTS} WHERE {FTS} MATCH %s"
            clause.add(f"{FTS}.rowid NOT IN ({excluded})", render(plan.exclude))
        return clause

    def rank_terms(
        self,
        weights: Mapping[str, float],
        viewer_id: int | None,
        limit: int,
        exclude: Sequence[int],
    ) -> list[Row]:
        repeats = quantize(weights, WEIGHT_LEVELS)
        if not repeats:
            return []
        match = " OR ".join(_quote(t) for t, n in repeats.items() for _ in range(n))
        clause = terms_clause(f"{FTS} MATCH %s", match, viewer_id, exclude)
        ranked = (
            f"SELECT {FTS}.rowid AS id, {SCORE} AS score FROM {FTS}{self._joins()}"
            f" WHERE {clause.sql} ORDER BY score LIMIT %s OFFSET %s"
        )
        rows = _fetch(_with_snapshot_ids(ranked), [*clause.params, limit, 0])
        return [Row(link_id, snapshot_id, -score) for link_id, snapshot_id, score in rows]

    def stored(self, link_ids: Sequence[int]) -> dict[int, Document]:
        if not link_ids:
            return {}
        marks = ", ".join(["%s"] * len(link_ids))
        names = ", ".join(("snapshot_id", *FIELDS))
        rows = _fetch(f"SELECT rowid, {names} FROM {FTS} WHERE rowid IN ({marks})", link_ids)
        return {row[0]: Document(*row) for row in rows}

    def document_frequencies(self, terms: Sequence[str]) -> dict[str, int]:
        if not terms:
            return {}
        marks = ", ".join(["%s"] * len(terms))
        rows = _fetch(f"SELECT term, doc FROM {VOCAB} WHERE term IN ({marks})", list(terms))
        return {term: 0 for term in terms} | dict(rows)

    def document_count(self) -> int:
        return _fetch(f"SELECT count(*) FROM {FTS}", [])[0][0]

    def snapshot_ids(self, link_ids: Sequence[int]) -> dict[int, int]:
        if not link_ids:
            return {}
        marks = ", ".join(["%s"] * len(link_ids))
        sql = f"SELECT link_id, snapshot_id FROM {SNAPSHOTS} WHERE link_id IN ({marks})"
        return dict(_fetch(sql, list(link_ids)))

    def link_ids(self) -> set[int]:
        # From the small table: a scan of the FTS table reads every stored body.
        return {row[0] for row in _fetch(f"SELECT link_id FROM {SNAPSHOTS}", [])}

    def prune(self) -> int:
        """Drop rows whose snapshot is gone or no longer belongs to the link (deleted behind
        the signals' back, or a test database flushed under the index)."""
        snapshot = f"SELECT 1 FROM {table(Snapshot)} s WHERE s.id = m.snapshot_id AND s.link_id = m.link_id"
        stale = [
            row[0]
            for row in _fetch(
                f"SELECT m.link_id FROM {SNAPSHOTS} m WHERE NOT EXISTS ({snapshot})", []
            )
        ]
        self.delete(stale)
        return len(stale)

    def size_bytes(self) -> int:
        sql = "SELECT coalesce(sum(pgsize), 0) FROM dbstat WHERE name LIKE %s"
        return _fetch(sql, [f"{FTS}%"])[0][0]  # search_fts_snapshot included


def _with_snapshot_ids(ranked: str) -> str:
    """(id, score) rows, best first, with the snapshot each link was indexed from."""
    return (
        f"SELECT t.id, m.snapshot_id, t.score FROM ({ranked}) t"
        f" JOIN {SNAPSHOTS} m ON m.link_id = t.id ORDER BY t.score, t.id DESC"
    )


def _fetch(sql: str, params: Sequence) -> list[tuple]:
    with connection.cursor() as cursor:
        cursor.execute(sql, list(params))
        return cursor.fetchall()
