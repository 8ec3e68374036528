"""Many rows in few statements, for imports of 100,000 bookmarks.

Django's bulk_create prepares every value of every field through the query compiler, about
ten times the cost of the insert itself on SQLite. `insert_rows` takes the columns a caller
sets (values as Python gives them; datetimes, JSON and UUIDs are adapted here) and fills
every other column with its field's default, prepared once per call. The domain services
that use it stay the only writers of their tables; it sends no signals, like bulk_create.
"""

from collections.abc import Iterable, Sequence

from django.db import connection, models
from django.utils import timezone

# SQLite allows 32,766 bound values per statement; PostgreSQL 65,535.
MAX_VALUES = 30_000
MAX_ROWS = 1_000
PREPARED = (models.DateTimeField, models.JSONField, models.UUIDField, models.DateField)


def insert_rows(
    model: type[models.Model],
    columns: Sequence[str],
    rows: Iterable[Sequence[object]],
    *,
    returning: Sequence[str] = (),
) -> list[tuple]:
    """INSERT each row of `rows` (values for `columns`, given by field attname) into
    `model`'s table; the answer is the `returning` columns of each row in insertion order
    (RETURNING: PostgreSQL and SQLite 3.35+, the order bulk_create relies on too), or []."""
    meta = model._meta
    by_name = {field.attname: field for field in meta.concrete_fields}
    given = [by_name[name] for name in columns]
    defaults = [
        field
        for field in meta.concrete_fields
        if field.attname not in columns and not (field.primary_key and not field.has_default())
    ]
    now = timezone.now()
    # A callable default (uuid4) differs per row; auto_now(_add) columns take this moment.
    per_row = [
        i for i, field in enumerate(defaults) if callable(field.default) and not _is_now(field)
    ]
    default_values = [
        _prepare(field, now if _is_now(field) else field.get_default()) for field in defaults
    ]
    prepared = [i for i, field in enumerate(given) if isinstance(field, PREPARED)]
    names = ", ".join(connection.ops.quote_name(str(f.column)) for f in [*given, *defaults])
    one_row = "(" + ", ".join(["%s"] * (len(given) + len(defaults))) + ")"
    table = connection.ops.quote_name(meta.db_table)

    # Rows often share a value (one moment, one queue name): prepare each distinct one once.
    memo: dict[tuple[int, object], object] = {}

    def prepare(index: int, value: object) -> object:
        try:
            return memo[index, value]
        except KeyError:
            memo[index, value] = done = _prepare(given[index], value)
            return done
        except TypeError:  # unhashable (a dict for a JSON column)
            return _prepare(given[index], value)

    def values(row: Sequence[object]) -> list[object]:
        out = list(row)
        for index in prepared:
            out[index] = prepare(index, out[index])
        if not per_row:
            return out + default_values
        fresh = list(default_values)
        for index in per_row:
            fresh[index] = _prepare(defaults[index], defaults[index].get_default())
        return out + fresh

    with connection.cursor() as cursor:
        if not returning:
            cursor.executemany(
                f"INSERT INTO {table} ({names}) VALUES {one_row}",
                [values(row) for row in rows],  # type: ignore[misc]
            )
            return []
        back = ", ".join(connection.ops.quote_name(str(by_name[name].column)) for name in returning)
        per_statement = max(1, min(MAX_ROWS, MAX_VALUES // (len(given) + len(defaults))))
        found: list[tuple] = []
        batch: list[object] = []
        count = 0
        for row in rows:
            batch.extend(values(row))
            count += 1
            if count == per_statement:
                found += _insert(cursor, table, names, one_row, count, batch, back)
                batch, count = [], 0
        if count:
            found += _insert(cursor, table, names, one_row, count, batch, back)
        return found


def _insert(cursor, table, names, one_row, count, params, back) -> list[tuple]:  # noqa: ANN001
    sql = f"INSERT INTO {table} ({names}) VALUES {', '.join([one_row] * count)} RETURNING {back}"
    cursor.execute(sql, params)
    return [tuple(row) for row in cursor.fetchall()]


def _is_now(field: models.Field) -> bool:
    return bool(getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False)) or (
        field.default is timezone.now
    )


def _prepare(field: models.Field, value: object) -> object:
    return field.get_db_prep_save(value, connection)
