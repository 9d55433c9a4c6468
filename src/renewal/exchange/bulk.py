"""Fast inserts with their history rows: ``executemany`` straight from column lists.

Django's ``bulk_create`` spends most of its time preparing each value through the field API
(about 20 method calls per cell); at 100,000 rows that is most of an import. New rows are plain
inserts of values the importer has already validated and typed, so they go in with one
``executemany`` per chunk, values adapted once per column type by the backend's own ``ops``
(SQLite and PostgreSQL alike), and their simple-history rows ("+", the importer as
``history_user``, the change reason) the same way. Columns the importer does not fill (added
later by other apps, e.g. ``version``) take their field default. Updates stay on
simple-history's ``bulk_update_with_history``.
"""

from __future__ import annotations

from collections.abc import Callable
from operator import itemgetter
from typing import Any

from django.db import connection, models
from django.db.backends.base.operations import BaseDatabaseOperations
from django.utils import timezone

CHUNK = 2000


def _adapter(field: models.Field) -> Callable[[Any], Any] | None:
    """How the backend wants a value of this field; None when the driver takes it as it is."""
    ops = connection.ops
    internal = field.get_internal_type()
    if internal == "DateTimeField":
        return lambda v: None if v is None else ops.adapt_datetimefield_value(v)
    if internal == "DateField":
        if type(ops).adapt_datefield_value is BaseDatabaseOperations.adapt_datefield_value:
            return lambda v: None if v is None else str(v)  # the base implementation, inlined
        return lambda v: None if v is None else ops.adapt_datefield_value(v)
    if internal == "DecimalField":
        if type(ops).adapt_decimalfield_value is BaseDatabaseOperations.adapt_decimalfield_value:
            return None  # the base implementation returns the Decimal unchanged
        return lambda v: (
            None if v is None else ops.adapt_decimalfield_value(v, field.max_digits, field.decimal_places)
        )
    if internal in ("JSONField", "UUIDField", "TimeField", "DurationField"):
        return lambda v: field.get_db_prep_save(v, connection)
    return None


def _insert(model: type[models.Model], rows: list[dict[str, Any]], fixed: dict[str, Any]) -> None:
    """INSERT the rows: columns the rows carry, then the fixed values (same for every row), then
    the defaults of every other column."""
    first = rows[0]
    variable = [f for f in model._meta.concrete_fields if f.attname in first and f.attname not in fixed]
    rest = [
        f
        for f in model._meta.concrete_fields
        if f.attname not in first and not (f.primary_key and f.attname not in fixed)
    ]
    constants = []
    for f in rest:
        value = fixed[f.attname] if f.attname in fixed else f.get_default()
        adapt = _adapter(f)
        constants.append(adapt(value) if adapt else value)
    constants = tuple(constants)
    names = [f.attname for f in variable]
    adapted = [(i, a) for i, a in enumerate(_adapter(f) for f in variable) if a is not None]
    quote = connection.ops.quote_name
    columns = [*variable, *rest]
    sql = "INSERT INTO {} ({}) VALUES ({})".format(
        quote(model._meta.db_table),
        ", ".join(quote(f.column) for f in columns),
        ", ".join(["%s"] * len(columns)),
    )
    get = itemgetter(*names)
    with connection.cursor() as cursor:
        for start in range(0, len(rows), CHUNK):
            params = []
            for row in rows[start : start + CHUNK]:
                values = get(row)
                values = list(values) if len(names) > 1 else [values]
                for i, adapt in adapted:
                    values[i] = adapt(values[i])
                values.extend(constants)
                params.append(values)
            cursor.executemany(sql, params)


def insert_with_history(
    model: type[models.Model],
    rows: list[dict[str, Any]],
    *,
    key: Callable[[dict], Any],
    lookup: Callable[[list[dict], int], dict[Any, int]],
    user_id: int | None,
    reason: str,
) -> dict[Any, int]:
    """Insert ``rows`` (attname → value) and one "+" history row each; returns key → new pk.

    ``lookup(rows, before)`` reads the new primary keys back by natural key (portable: no
    RETURNING); ``before`` is the largest primary key before the insert, so every new row has a
    greater one (rows other transactions may add meanwhile are told apart by their keys).
    """
    if not rows:
        return {}
    now = timezone.now()
    stamps = {
        f.attname: now
        for f in model._meta.concrete_fields
        if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False)
    }
    pk = model._meta.pk
    table, quote = model._meta.db_table, connection.ops.quote_name
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT MAX({quote(pk.column)}) FROM {quote(table)}")
        before = cursor.fetchone()[0] or 0
    _insert(model, rows, stamps)
    pks = lookup(rows, before)
    history = model.history.model
    tracked = {f.attname for f in history._meta.concrete_fields}
    if set(rows[0]) <= tracked:
        history_rows = [{**row, "id": pks[key(row)]} for row in rows]
    else:
        history_rows = [
            {**{k: v for k, v in row.items() if k in tracked}, "id": pks[key(row)]} for row in rows
        ]
    fixed = {
        **{k: v for k, v in stamps.items() if k in tracked},
        "history_date": now,
        "history_change_reason": reason,
        "history_type": "+",
        "history_user_id": user_id,
    }
    _insert(history, history_rows, fixed)
    return pks
