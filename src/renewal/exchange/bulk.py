"""Fast inserts with their history rows: ``executemany`` straight from column lists, history
copied by the database.

Django's ``bulk_create`` spends most of its time preparing each value through the field API
(about 20 method calls per cell); at 100,000 rows that is most of an import. New rows are plain
inserts of values the importer has already validated and typed, so they go in with one
``executemany`` per chunk, values adapted once per column type by the backend's own ``ops``
(SQLite and PostgreSQL alike); their simple-history rows ("+", the importer as ``history_user``,
the change reason) are copied from the new rows by one ``INSERT … SELECT`` per chunk, so no value
crosses from Python twice and no id is read back. Columns the importer does not fill (added
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
            # the base implementation (ISO text) is what the drivers do with a date themselves:
            # psycopg natively, sqlite3 through the adapter Django registers
            return None
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
    get = itemgetter(*names) if len(names) > 1 else (lambda row: (row[names[0]],))
    with connection.cursor() as cursor:
        for start in range(0, len(rows), CHUNK):
            chunk = rows[start : start + CHUNK]
            if not adapted:
                cursor.executemany(sql, [get(row) + constants for row in chunk])
                continue
            params = []
            for row in chunk:
                values = list(get(row))
                for i, adapt in adapted:
                    values[i] = adapt(values[i])
                values.extend(constants)
                params.append(values)
            cursor.executemany(sql, params)


def insert_with_history(
    model: type[models.Model],
    rows: list[dict[str, Any]],
    *,
    natural: tuple[str, ...],
    user_id: int | None,
    reason: str,
    return_pks: bool = False,
) -> dict[tuple, int]:
    """Insert ``rows`` (attname → value) and one "+" history row each; returns natural key → new
    pk when ``return_pks``.

    ``natural`` names the fields of a unique constraint of ``model`` (attnames) and the rows are
    new keys: the history rows are then copied from the inserted rows by the database itself
    (``INSERT … SELECT … WHERE key IN (…)``), which is exact under concurrency on every backend
    (a unique key matches only the row this import inserted) and needs no ids read back.
    """
    if not rows:
        return {}
    now = timezone.now()
    stamps = {
        f.attname: now
        for f in model._meta.concrete_fields
        if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False)
    }
    _insert(model, rows, stamps)
    keys = _key_params(model, natural, rows)
    history = model.history.model
    own = {f.attname: f for f in model._meta.concrete_fields}
    fixed = {
        "history_date": now,
        "history_change_reason": reason,
        "history_type": "+",
        "history_user_id": user_id,
    }
    copied, given, params = [], [], []
    for f in history._meta.concrete_fields:
        if f.primary_key:
            continue
        if f.attname in own:
            copied.append(f.column)
        else:
            value = fixed[f.attname] if f.attname in fixed else f.get_default()
            adapt = _adapter(f)
            given.append(f.column)
            params.append(adapt(value) if adapt else value)
    quote = connection.ops.quote_name
    insert = "INSERT INTO {} ({}) SELECT {} FROM {} WHERE ".format(
        quote(history._meta.db_table),
        ", ".join(quote(c) for c in [*copied, *given]),
        ", ".join([*(quote(c) for c in copied), *(["%s"] * len(given))]),
        quote(model._meta.db_table),
    )
    with connection.cursor() as cursor:
        for where, values in _key_chunks(model, natural, keys):
            cursor.execute(insert + where, [*params, *values])
    if not return_pks:
        return {}
    originals = [tuple(row[name] for name in natural) for row in rows]
    as_given = dict(zip(keys, originals, strict=True))
    return {as_given.get(key, key): pk for key, pk in _new_pks(model, natural, keys).items()}


def _fields(model, natural: tuple[str, ...]) -> list[models.Field]:
    by_attname = {f.attname: f for f in model._meta.concrete_fields}
    return [by_attname[name] for name in natural]


def _key_params(model, natural: tuple[str, ...], rows: list[dict[str, Any]]) -> list[tuple]:
    """Each row's natural key, adapted for the backend like the inserted values."""
    adapters = [_adapter(f) for f in _fields(model, natural)]
    if not any(adapters):
        get = itemgetter(*natural) if len(natural) > 1 else (lambda row: (row[natural[0]],))
        return [get(row) for row in rows]
    adapters = [adapt or (lambda v: v) for adapt in adapters]
    return [tuple(adapt(row[name]) for adapt, name in zip(adapters, natural, strict=True)) for row in rows]


def _key_chunks(model, natural: tuple[str, ...], keys: list[tuple]):
    """``(where, params)`` matching the keys, ``CHUNK`` keys at a time."""
    quote = connection.ops.quote_name
    columns = [f.column for f in _fields(model, natural)]
    for start in range(0, len(keys), CHUNK):
        chunk = keys[start : start + CHUNK]
        if len(columns) == 1:
            where = "{} IN ({})".format(quote(columns[0]), ", ".join(["%s"] * len(chunk)))
            yield where, [k[0] for k in chunk]
        else:
            # the first column's IN lets SQLite search the key's index; a row value IN alone scans
            # the whole table (once per chunk: quadratic in a big import)
            first = sorted({k[0] for k in chunk}, key=str)
            row = "({})".format(", ".join(["%s"] * len(columns)))
            where = "{} IN ({}) AND ({}) IN (VALUES {})".format(
                quote(columns[0]),
                ", ".join(["%s"] * len(first)),
                ", ".join(quote(c) for c in columns),
                ", ".join([row] * len(chunk)),
            )
            yield where, [*first, *(v for k in chunk for v in k)]


def _new_pks(model, natural: tuple[str, ...], keys: list[tuple]) -> dict[tuple, int]:
    quote = connection.ops.quote_name
    columns = [f.column for f in _fields(model, natural)]
    select = "SELECT {}, {} FROM {} WHERE ".format(
        ", ".join(quote(c) for c in columns), quote(model._meta.pk.column), quote(model._meta.db_table)
    )
    found: dict[tuple, int] = {}
    with connection.cursor() as cursor:
        for where, values in _key_chunks(model, natural, keys):
            cursor.execute(select + where, values)
            for *key, pk in cursor.fetchall():
                found[tuple(key)] = pk
    return found


def live_rows(model, field: str, values: list) -> list:
    """``model.objects.filter(<field>__in=values)`` (rows not soft-deleted), the keys matched by one
    plain query first: the ORM prepares each of a batch's 2,000 parameters, and a new file
    matches none."""
    meta, quote = model._meta, connection.ops.quote_name
    if not values:
        return []
    with connection.cursor() as cursor:
        # is_deleted is read, not filtered on: SQLite would pick its index over the key's
        cursor.execute(
            "SELECT {}, {} FROM {} WHERE {} IN ({})".format(
                quote(meta.pk.column),
                quote(meta.get_field("is_deleted").column),
                quote(meta.db_table),
                quote(meta.get_field(field).column),
                ", ".join(["%s"] * len(values)),
            ),
            values,
        )
        ids = [pk for pk, deleted in cursor.fetchall() if not deleted]
    return list(model.objects.filter(pk__in=ids)) if ids else []


def rows_by(
    model, field: str, values: list, columns: tuple[str, ...], *, also: tuple[str, list] | None = None
) -> list[tuple]:
    """``columns`` (field names) of the rows of ``model`` whose ``field`` is one of ``values``, all
    rows (soft-deleted too), by one plain query per 500 values: what a batch needs to decide, without
    the ORM preparing each parameter or building a model per row. ``also``: (field, values) that
    the rows must match as well (a batch's 序号 beside its projects)."""
    meta, quote = model._meta, connection.ops.quote_name
    out: list[tuple] = []
    selected = ", ".join(quote(meta.get_field(c).column) for c in columns)
    for start in range(0, len(values), 500):
        part = values[start : start + 500]
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT {} FROM {} WHERE {} IN ({})".format(
                    selected,
                    quote(meta.db_table),
                    quote(meta.get_field(field).column),
                    ", ".join(["%s"] * len(part)),
                ),
                part,
            )
            out += cursor.fetchall()
    return out


def ids_by(model, field: str, values: list) -> dict:
    """``field`` value → primary key of the rows of ``model`` with those values (one plain query)."""
    meta, quote = model._meta, connection.ops.quote_name
    if not values:
        return {}
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT {}, {} FROM {} WHERE {} IN ({})".format(
                quote(meta.get_field(field).column),
                quote(meta.pk.column),
                quote(meta.db_table),
                quote(meta.get_field(field).column),
                ", ".join(["%s"] * len(values)),
            ),
            values,
        )
        return dict(cursor.fetchall())


def insert_rows(model: type[models.Model], rows: list[dict[str, Any]], *, fixed: dict[str, Any]) -> None:
    """INSERT plain rows (attname → value) with ``fixed`` values, without history: for records that
    are a history themselves (workflow steps). Timestamps (auto_now) are set to now."""
    if not rows:
        return
    now = timezone.now()
    stamps = {
        f.attname: now
        for f in model._meta.concrete_fields
        if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False)
    }
    _insert(model, rows, {**stamps, **fixed})
