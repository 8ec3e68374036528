"""PostgreSQL: one row per link with a tsvector over the analysed tokens, GIN-indexed.

The tsvector is written as a literal (lexeme:position+weight), not through to_tsvector: the
`simple` configuration's parser would split our tokens again (and under a C locale it drops
Han characters altogether), while a literal keeps exactly the analyzer's tokens. Title is
weight A, tags B, site and URL C, text D. Queries are tsquery literals the same way. The
token text is kept beside the vector for `stored()`, like the FTS5 table's own content.

Document frequencies (what related articles weigh terms by) are kept in search_term, a
count per lexeme moved in the same transaction as every write and delete: counting a term's
documents through the GIN index costs a walk of its posting list, hundreds of terms per
capture, and grew with the index (seconds per capture at a few thousand pages).
"""

from collections.abc import Mapping, Sequence

from django.db import connection, transaction
from django.db.backends.utils import CursorWrapper

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
    table,
    terms_clause,
)
from linkhome.search.documents import FIELDS, Document
from linkhome.search.matching import All, Any, Expr, InField, Phrase, Plan, Term, all_of

TABLE = "search_document"
TERMS = "search_term"
LETTERS = {"title": "A", "tags": "B", "site": "C", "url": "C", "body": ""}  # "" is D
ORDER = ("title", "tags", "site", "url", "body")  # the long body last: positions stop at 16383
# ts_rank's weights are {D, C, B, A}; the same proportions as bm25's column weights.
RANK_WEIGHTS = (
    "{"
    + ", ".join(str(WEIGHTS[f] / WEIGHTS["title"]) for f in ("body", "site", "tags", "title"))
    + "}"
)
DIALECT = Dialect(regex="~", contains="strpos")
MAX_POSITION = 16383
MAX_POSITIONS = 256  # per lexeme, PostgreSQL's own limit
FIELD_GAP = 8  # so a phrase never runs from the end of the title into the tags


def render(expr: Expr) -> str:
    """An expression as a tsquery literal."""
    match expr:
        case Term(token):
            return _lexeme(token)
        case Phrase(tokens):
            return "(" + " <-> ".join(_lexeme(t) for t in tokens) + ")"
        case All(items):
            return "(" + " & ".join(render(item) for item in items) + ")"
        case Any(items):
            return "(" + " | ".join(render(item) for item in items) + ")"
        case InField(field, tokens):
            weight = LETTERS[field]
            return "(" + " <-> ".join(f"{_lexeme(t)}:{weight}" for t in tokens) + ")"


def _lexeme(token: str) -> str:
    return "'" + token.replace("\\", "\\\\").replace("'", "''") + "'"


def tsvector(document: Document) -> str:
    """The document as a tsvector literal: every token at its position, with its weight."""
    positions: dict[str, list[str]] = {}
    at = 1
    for name in ORDER:
        for token in getattr(document, name).split():
            _place(positions.setdefault(token, []), at, LETTERS[name])
            at += 1
        at += FIELD_GAP
    return " ".join(f"{_lexeme(t)}:{','.join(p)}" for t, p in positions.items())


def _place(slots: list[str], at: int, letter: str) -> None:
    # Past the last position every token lands on 16383: once there is enough to match.
    position = str(min(at, MAX_POSITION))
    if len(slots) >= MAX_POSITIONS or (slots and slots[-1].rstrip("ABC") == position):
        return
    slots.append(position + letter)


def _score(document: str = "d.document") -> str:
    return f"ts_rank('{RANK_WEIGHTS}', {document}, CAST(%s AS tsquery), 1)"


class PostgresBackend:
    def write(self, documents: Sequence[Document]) -> None:
        columns = ("link_id", "snapshot_id", *FIELDS, "document")
        updates = ", ".join(f"{c} = EXCLUDED.{c}" for c in columns[1:])
        marks = ", ".join(["%s"] * (len(columns) - 1)) + ", CAST(%s AS tsvector)"
        rows = [
            (d.link_id, d.snapshot_id, *(getattr(d, f) for f in FIELDS), tsvector(d))
            for d in documents
        ]
        ids = [d.link_id for d in documents]
        with transaction.atomic(), connection.cursor() as cursor:
            _count_terms(cursor, ids, -1)
            cursor.executemany(
                f"INSERT INTO {TABLE} ({', '.join(columns)}) VALUES ({marks})"
                f" ON CONFLICT (link_id) DO UPDATE SET {updates}",
                rows,
            )
            _count_terms(cursor, ids, +1)

    def delete(self, link_ids: Sequence[int]) -> None:
        with transaction.atomic(), connection.cursor() as cursor:
            _count_terms(cursor, list(link_ids), -1)
            cursor.execute(f"DELETE FROM {TABLE} WHERE link_id = ANY(%s)", [list(link_ids)])

    def find(self, plan: Plan, viewer_id: int | None, offset: int, limit: int) -> list[Row]:
        clause, query = self._where(plan, viewer_id)
        if query is None:
            sql = (
                f"SELECT d.link_id, d.snapshot_id, 0 FROM {TABLE} d{self._joins(plan)}"
                f" WHERE {clause.sql} ORDER BY {newest_first()} LIMIT %s OFFSET %s"
            )
            return [Row(*row) for row in _fetch(sql, [*clause.params, limit, offset])]
        # ts_rank reads each matching row's whole tsvector: ranked for the newest window only.
        window = (
            f"SELECT d.link_id, d.snapshot_id, d.document FROM {TABLE} d{self._joins(plan)}"
            f" WHERE {clause.sql} ORDER BY d.link_id DESC LIMIT {RANK_WINDOW}"
        )
        sql = (
            f"SELECT w.link_id, w.snapshot_id, {_score('w.document')} AS score FROM ({window}) w"
            " ORDER BY score DESC, w.link_id DESC LIMIT %s OFFSET %s"
        )
        return [Row(*row) for row in _fetch(sql, [query, *clause.params, limit, offset])]

    def count(self, plan: Plan, viewer_id: int | None, limit: int) -> int:
        clause, _ = self._where(plan, viewer_id)
        matches = f"SELECT 1 FROM {TABLE} d{self._joins(plan)} WHERE {clause.sql} LIMIT %s"
        return _fetch(f"SELECT count(*) FROM ({matches}) m", [*clause.params, limit])[0][0]

    def _joins(self, plan: Plan | None = None) -> str:
        with_snapshot = plan is not None and needs_snapshot(plan)
        return joins("d.link_id", "d.snapshot_id", snapshot=with_snapshot)

    def _where(self, plan: Plan, viewer_id: int | None) -> tuple[Clause, str | None]:
        """The conditions, and the tsquery that ranks (None: filters alone, newest first)."""
        clause = filters(plan, viewer_id, DIALECT)
        match = all_of([plan.match, plan.narrow])
        if match is not None:
            query = render(match)
            if plan.exclude is not None:
                query = f"{query} & !{render(plan.exclude)}"
            clause.parts.insert(0, "d.document @@ CAST(%s AS tsquery)")
            clause.params.insert(0, query)
        elif plan.exclude is not None:
            clause.add("NOT (d.document @@ CAST(%s AS tsquery))", render(plan.exclude))
        return clause, (query if plan.match is not None else None)

    def rank_terms(
        self,
        weights: Mapping[str, float],
        viewer_id: int | None,
        limit: int,
        exclude: Sequence[int],
    ) -> list[Row]:
        # ts_rank counts a repeated lexeme once, so each term is ranked on its own and
        # weighed here.
        terms = [(t, w) for t, w in weights.items() if w > 0]
        if not terms:
            return []
        any_term = " | ".join(_lexeme(t) for t, _ in terms)
        clause = terms_clause("d.document @@ CAST(%s AS tsquery)", any_term, viewer_id, exclude)
        score = " + ".join(f"%s * {_score()}" for _ in terms)
        sql = (
            f"SELECT d.link_id, d.snapshot_id, {score} AS score FROM {TABLE} d{self._joins()}"
            f" WHERE {clause.sql} ORDER BY score DESC LIMIT %s"
        )
        score_params = [p for t, w in terms for p in (w, _lexeme(t))]
        return [Row(*row) for row in _fetch(sql, [*score_params, *clause.params, limit])]

    def stored(self, link_ids: Sequence[int]) -> dict[int, Document]:
        names = ", ".join(("link_id", "snapshot_id", *FIELDS))
        rows = _fetch(f"SELECT {names} FROM {TABLE} WHERE link_id = ANY(%s)", [list(link_ids)])
        return {row[0]: Document(*row) for row in rows}

    def document_frequencies(self, terms: Sequence[str]) -> dict[str, int]:
        sql = f"SELECT term, docs FROM {TERMS} WHERE term = ANY(%s) AND docs > 0"
        found = dict(_fetch(sql, [list(terms)]))
        return {term: found.get(term, 0) for term in terms}

    def document_count(self) -> int:
        return _fetch(f"SELECT count(*) FROM {TABLE}", [])[0][0]

    def snapshot_ids(self, link_ids: Sequence[int]) -> dict[int, int]:
        sql = f"SELECT link_id, snapshot_id FROM {TABLE} WHERE link_id = ANY(%s)"
        return dict(_fetch(sql, [list(link_ids)]))

    def link_ids(self) -> set[int]:
        return {row[0] for row in _fetch(f"SELECT link_id FROM {TABLE}", [])}

    def prune(self) -> int:
        snapshots = f"SELECT 1 FROM {table(Snapshot)} s WHERE s.id = d.snapshot_id AND s.link_id = d.link_id"
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT link_id FROM {TABLE} d WHERE NOT EXISTS ({snapshots})")
            gone = [row[0] for row in cursor.fetchall()]
        if gone:
            self.delete(gone)
        return len(gone)

    def size_bytes(self) -> int:
        return _fetch("SELECT pg_total_relation_size(%s)", [TABLE])[0][0]


def _count_terms(cursor: CursorWrapper, link_ids: list[int], step: int) -> None:
    """Add `step` to the document count of every lexeme these links' documents hold. Rows
    are taken in term order, so two workers moving the same terms never deadlock."""
    lexemes = (
        f"SELECT unnest(tsvector_to_array(document)) AS term FROM {TABLE} WHERE link_id = ANY(%s)"
    )
    cursor.execute(
        f"INSERT INTO {TERMS} (term, docs) SELECT term, %s * count(*) FROM ({lexemes}) x"
        f" GROUP BY term ORDER BY term ON CONFLICT (term) DO UPDATE"
        f" SET docs = {TERMS}.docs + EXCLUDED.docs",
        [step, link_ids],
    )


def _fetch(sql: str, params: Sequence) -> list[tuple]:
    with connection.cursor() as cursor:
        cursor.execute(sql, list(params))
        return cursor.fetchall()
