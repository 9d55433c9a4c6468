"""SQL of the data-version triggers (SQLite and PostgreSQL): every insert, update or delete of a row
that can change a figure bumps ``indicators_dataversion`` for the row's year (0 for a row without
a ``year`` column), inside the writer's transaction — services, the admin, imports, bulk inserts,
the worker and raw SQL alike (docs/decisions/0025-data-version-cache.md).

On PostgreSQL the row is bumped once per (transaction, year): the trigger compares the row's
``xact`` with the current transaction, so a bulk import does not update the same row thousands of
times in one transaction (each update would lengthen the row's version chain). Readers take the
version outside any transaction (``answers``), so one bump per committed transaction is all they
can see. SQLite updates the row in place; every write bumps it.

The triggers are named ``indicators_dv_<table>_<op>`` so that ``services.rollups_suspend`` (which
drops the ``indicators_*`` triggers for a bulk write on SQLite) suspends them too; its restore ends
with ``rollups_rebuild``, which bumps the version once.
"""

from __future__ import annotations

from django.apps import apps

# The apps whose rows make the figures, the ranking and the 亩均 lists: the registry (enterprises,
# projects, progress, statuses, honours, funds, statistics), the plan, finance (P12), equipment
# lines, 亩均, parks, the assessment's adjustments and the reporting months.
APPS = ("registry", "planning", "finance", "equipment", "mujun", "parks", "assessment", "reporting")
PREFIX = "indicators_dv_"
FUNCTION = "indicators_dataversion_bump"


def tables() -> list[tuple[str, bool]]:
    """(table, has a ``year`` column) of every concrete model of ``APPS``; the audit trail's
    historical tables are left out (they are written with the rows they copy)."""
    out = []
    for label in APPS:
        for model in apps.get_app_config(label).get_models():
            if model._meta.proxy or not model._meta.managed or model.__name__.startswith("Historical"):
                continue
            names = {f.column for f in model._meta.concrete_fields}
            out.append((model._meta.db_table, "year" in names))
    return sorted(out)


def _sqlite_bump(year: str) -> str:
    return f"""INSERT INTO indicators_dataversion (year, version) VALUES (COALESCE({year}, 0), 1)
    ON CONFLICT (year) DO UPDATE SET version = indicators_dataversion.version + 1;"""


POSTGRES_FUNCTION = f"""CREATE OR REPLACE FUNCTION {FUNCTION}() RETURNS trigger AS $$
DECLARE
  y integer := 0;
BEGIN
  IF TG_ARGV[0] = 'year' THEN
    IF TG_OP = 'DELETE' THEN y := COALESCE(OLD.year, 0); ELSE y := COALESCE(NEW.year, 0); END IF;
  END IF;
  INSERT INTO indicators_dataversion (year, version, xact) VALUES (y, 1, txid_current())
  ON CONFLICT (year) DO UPDATE SET version = indicators_dataversion.version + 1, xact = excluded.xact
  WHERE indicators_dataversion.xact IS DISTINCT FROM excluded.xact;
  RETURN NULL;
END $$ LANGUAGE plpgsql"""


def install(connection) -> list[str]:
    out = [] if connection.vendor == "sqlite" else [POSTGRES_FUNCTION]
    existing = set(connection.introspection.table_names())
    for table, has_year in tables():
        if table not in existing:
            continue
        if connection.vendor == "sqlite":
            for op, row in (("insert", "NEW"), ("update", "NEW"), ("delete", "OLD")):
                year = f"{row}.year" if has_year else "0"
                out.append(
                    f'CREATE TRIGGER {PREFIX}{table}_{op} AFTER {op.upper()} ON "{table}"\n'
                    f"BEGIN {_sqlite_bump(year)} END"
                )
        else:
            arg = "year" if has_year else ""
            out.append(
                f'CREATE TRIGGER {PREFIX}{table} AFTER INSERT OR UPDATE OR DELETE ON "{table}" '
                f"FOR EACH ROW EXECUTE FUNCTION {FUNCTION}('{arg}')"
            )
    return out


def uninstall(connection) -> list[str]:
    """Drop every data-version trigger there is (found by name, so a table that left ``APPS``
    loses its trigger too)."""
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute(
                "SELECT name FROM sqlite_master WHERE type = 'trigger' AND name LIKE %s ESCAPE '\\'",
                [PREFIX.replace("_", "\\_") + "%"],
            )
            return [f"DROP TRIGGER IF EXISTS {name}" for (name,) in cursor.fetchall()]
        cursor.execute(
            "SELECT t.tgname, c.relname FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid "
            "WHERE NOT t.tgisinternal AND t.tgname LIKE %s",
            [PREFIX.replace("_", "\\_") + "%"],
        )
        return [f'DROP TRIGGER IF EXISTS {name} ON "{table}"' for name, table in cursor.fetchall()]


BUMP_ALL_SQL = "UPDATE indicators_dataversion SET version = version + 1"
BUMP_ZERO_SQL = {
    "sqlite": _sqlite_bump("0"),
    "postgresql": """INSERT INTO indicators_dataversion (year, version, xact) VALUES (0, 1, txid_current())
    ON CONFLICT (year) DO UPDATE SET version = indicators_dataversion.version + 1, xact = excluded.xact""",
}
