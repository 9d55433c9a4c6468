"""SQL of the roll-up triggers, per database (SQLite and PostgreSQL).

Soft-deleted rows (``is_deleted``, issue 5) are not counted: a project or progress row adds to a
roll-up only while neither it nor (for progress) its project is deleted, and deleting or restoring
one is an update that moves it out of or back into the roll-ups.

Which row fields each roll-up keeps, and so which conditions a measure read from it may use, is
declared in ``measures.ROLLUPS``. Statuses are kept as the months a project entered and left its
counted (or completed) stretch (``registry/spells.py``), so a read at any data date (a month's last
day) gets the statuses of that day.
"""

from .measures import ROLLUPS

KEY = "area_code, project_year, provincial_key, counted_from_month, counted_until_month, month"
SUMS = "investment, equipment_investment, robots, cnc, row_count"
ON_CONFLICT = f"""ON CONFLICT ({KEY}) DO UPDATE SET
    investment = indicators_progressrollup.investment + excluded.investment,
    equipment_investment = indicators_progressrollup.equipment_investment + excluded.equipment_investment,
    robots = indicators_progressrollup.robots + excluded.robots,
    cnc = indicators_progressrollup.cnc + excluded.cnc,
    row_count = indicators_progressrollup.row_count + excluded.row_count"""


def _month(column: str, vendor: str) -> str:
    """periods.month_index of a date column; -1 without one."""
    if vendor == "sqlite":  # dates are stored as 'YYYY-MM-DD' text
        expr = f"CAST(substr({column}, 1, 4) AS INTEGER) * 12 + CAST(substr({column}, 6, 2) AS INTEGER) - 1"
    else:
        expr = f"CAST(EXTRACT(YEAR FROM {column}) AS INTEGER) * 12 + CAST(EXTRACT(MONTH FROM {column}) AS INTEGER) - 1"
    return f"COALESCE({expr}, -1)"


def _counted(p: str, vendor: str) -> str:
    return f"{_month(p + '.counted_from', vendor)}, {_month(p + '.counted_until', vendor)}"


def add_row(row: str, vendor: str) -> str:
    """Add the progress row ``row`` (NEW) under its project's current key."""
    return f"""INSERT INTO indicators_progressrollup ({KEY}, {SUMS})
    SELECT p.area_id, p.year, p.provincial_key, {_counted("p", vendor)}, {row}.month, {row}.investment,
           {row}.equipment_investment, {row}.robots, {row}.cnc, 1
    FROM registry_project p WHERE p.id = {row}.project_id AND NOT p.is_deleted AND NOT {row}.is_deleted
    {ON_CONFLICT};"""


def remove_row(row: str, vendor: str) -> str:
    """Subtract the progress row ``row`` (OLD) from its project's current key."""
    return f"""UPDATE indicators_progressrollup SET
    investment = investment - {row}.investment,
    equipment_investment = equipment_investment - {row}.equipment_investment,
    robots = robots - {row}.robots, cnc = cnc - {row}.cnc, row_count = row_count - 1
    WHERE month = {row}.month AND NOT {row}.is_deleted
      AND (area_code, project_year, provincial_key, counted_from_month, counted_until_month) =
      (SELECT p.area_id, p.year, p.provincial_key, {_counted("p", vendor)} FROM registry_project p
       WHERE p.id = {row}.project_id AND NOT p.is_deleted);"""


# A project that changes area, year, provincial key, counted stretch or deletion moves its progress to
# the new key (out of the roll-up while deleted).
def move_project(vendor: str) -> str:
    return f"""UPDATE indicators_progressrollup SET
    investment = indicators_progressrollup.investment - mp.investment,
    equipment_investment = indicators_progressrollup.equipment_investment - mp.equipment_investment,
    robots = indicators_progressrollup.robots - mp.robots, cnc = indicators_progressrollup.cnc - mp.cnc,
    row_count = indicators_progressrollup.row_count - 1
    FROM registry_monthlyprogress mp
    WHERE mp.project_id = NEW.id AND indicators_progressrollup.month = mp.month
      AND NOT mp.is_deleted AND NOT OLD.is_deleted
      AND area_code = OLD.area_id AND project_year = OLD.year AND provincial_key = OLD.provincial_key
      AND counted_from_month = {_month("OLD.counted_from", vendor)}
      AND counted_until_month = {_month("OLD.counted_until", vendor)};
  INSERT INTO indicators_progressrollup ({KEY}, {SUMS})
    SELECT NEW.area_id, NEW.year, NEW.provincial_key, {_counted("NEW", vendor)}, mp.month, mp.investment,
           mp.equipment_investment, mp.robots, mp.cnc, 1
    FROM registry_monthlyprogress mp WHERE mp.project_id = NEW.id AND NOT mp.is_deleted AND NOT NEW.is_deleted
    {ON_CONFLICT};"""


PROJECT_CHANGED = (
    "OLD.area_id IS DISTINCT FROM NEW.area_id OR OLD.year IS DISTINCT FROM NEW.year OR "
    "OLD.provincial_key IS DISTINCT FROM NEW.provincial_key OR "
    "OLD.counted_from IS DISTINCT FROM NEW.counted_from OR OLD.counted_until IS DISTINCT FROM NEW.counted_until OR "
    "OLD.is_deleted IS DISTINCT FROM NEW.is_deleted"
)


def rebuild(vendor: str) -> str:
    key = f"p.area_id, p.year, p.provincial_key, {_counted('p', vendor)}, mp.month"
    return f"""INSERT INTO indicators_progressrollup ({KEY}, {SUMS})
  SELECT {key}, SUM(mp.investment), SUM(mp.equipment_investment), SUM(mp.robots), SUM(mp.cnc), COUNT(*)
  FROM registry_monthlyprogress mp JOIN registry_project p ON p.id = mp.project_id
  WHERE NOT mp.is_deleted AND NOT p.is_deleted
  GROUP BY {key}"""


SQLITE_INSTALL = [
    f"""CREATE TRIGGER indicators_progress_insert AFTER INSERT ON registry_monthlyprogress
BEGIN {add_row("NEW", "sqlite")} END""",
    f"""CREATE TRIGGER indicators_progress_delete AFTER DELETE ON registry_monthlyprogress
BEGIN {remove_row("OLD", "sqlite")} END""",
    f"""CREATE TRIGGER indicators_progress_update AFTER UPDATE ON registry_monthlyprogress
BEGIN {remove_row("OLD", "sqlite")} {add_row("NEW", "sqlite")} END""",
    f"""CREATE TRIGGER indicators_project_update AFTER UPDATE ON registry_project
WHEN {PROJECT_CHANGED.replace("IS DISTINCT FROM", "IS NOT")}
BEGIN {move_project("sqlite")} END""",
]
SQLITE_UNINSTALL = [
    f"DROP TRIGGER IF EXISTS {name}"
    for name in (
        "indicators_progress_insert",
        "indicators_progress_delete",
        "indicators_progress_update",
        "indicators_project_update",
    )
]

POSTGRES_INSTALL = [
    f"""CREATE OR REPLACE FUNCTION indicators_progress_rollup() RETURNS trigger AS $$
BEGIN
  IF TG_OP IN ('DELETE', 'UPDATE') THEN {remove_row("OLD", "postgresql")} END IF;
  IF TG_OP IN ('INSERT', 'UPDATE') THEN {add_row("NEW", "postgresql")} END IF;
  RETURN NULL;
END $$ LANGUAGE plpgsql""",
    """CREATE TRIGGER indicators_progress_rollup AFTER INSERT OR UPDATE OR DELETE
ON registry_monthlyprogress FOR EACH ROW EXECUTE FUNCTION indicators_progress_rollup()""",
    f"""CREATE OR REPLACE FUNCTION indicators_project_rollup() RETURNS trigger AS $$
BEGIN
  {move_project("postgresql")}
  RETURN NULL;
END $$ LANGUAGE plpgsql""",
    f"""CREATE TRIGGER indicators_project_rollup AFTER UPDATE ON registry_project
FOR EACH ROW WHEN ({PROJECT_CHANGED}) EXECUTE FUNCTION indicators_project_rollup()""",
]
POSTGRES_UNINSTALL = [
    "DROP TRIGGER IF EXISTS indicators_progress_rollup ON registry_monthlyprogress",
    "DROP TRIGGER IF EXISTS indicators_project_rollup ON registry_project",
    "DROP FUNCTION IF EXISTS indicators_progress_rollup()",
    "DROP FUNCTION IF EXISTS indicators_project_rollup()",
]


def install(connection) -> list[str]:
    return SQLITE_INSTALL if connection.vendor == "sqlite" else POSTGRES_INSTALL


def uninstall(connection) -> list[str]:
    return SQLITE_UNINSTALL if connection.vendor == "sqlite" else POSTGRES_UNINSTALL


# -- Project roll-ups (migration 0003): counts and sums of projects, and completions by day ----------
# Every column is named (no ``SELECT *``), so columns added to registry_project later change nothing.

# The type flags are declared once, with the roll-up's other columns (measures.ROLLUPS): each is a
# "types contains X" condition (Django's __contains, instr/strpos here) kept as a boolean key.
_FLAGS = {
    column: text for (lookup, text), column in ROLLUPS["project"].flags.items() if lookup == "types__contains"
}
GREEN_TYPE, CHAIN_TYPE = _FLAGS["green"], _FLAGS["chain"]
P_KEY = "year, area_code, provincial_key, green, chain, counted_from_month, counted_until_month"
P_SUMS = "project_count, total_investment, equipment_investment, energy_saving"
C_KEY = "end_date, area_code, completed_from_month, completed_until_month"
C_SUMS = "project_count, energy_saving"


def _upsert(table: str, key: str, sums: str) -> str:
    sets = ",\n    ".join(f"{c} = {table}.{c} + excluded.{c}" for c in sums.split(", "))
    return f"ON CONFLICT ({key}) DO UPDATE SET\n    {sets}"


def _project_key(row: str, vendor: str) -> list[str]:
    find = "instr" if vendor == "sqlite" else "strpos"  # types contains the type (Django's __contains)
    return [
        f"{row}.year",
        f"{row}.area_id",
        f"{row}.provincial_key",
        f"({find}({row}.types, '{GREEN_TYPE}') > 0)",
        f"({find}({row}.types, '{CHAIN_TYPE}') > 0)",
        _month(f"{row}.counted_from", vendor),
        _month(f"{row}.counted_until", vendor),
    ]


def _completion_key(row: str, vendor: str) -> list[str]:
    return [
        f"{row}.end_date",
        f"{row}.area_id",
        _month(f"{row}.completed_from", vendor),
        _month(f"{row}.completed_until", vendor),
    ]


def add_project(row: str, vendor: str) -> str:
    """Count the project ``row`` (NEW) in both roll-ups."""
    values = ", ".join(
        _project_key(row, vendor)
        + ["1", f"{row}.total_investment", f"{row}.equipment_investment", f"{row}.energy_saving"]
    )
    return f"""INSERT INTO indicators_projectrollup ({P_KEY}, {P_SUMS}) SELECT {values} WHERE NOT {row}.is_deleted
    {_upsert("indicators_projectrollup", P_KEY, P_SUMS)};
  INSERT INTO indicators_completionrollup ({C_KEY}, {C_SUMS})
    SELECT {", ".join(_completion_key(row, vendor))}, 1, {row}.energy_saving
    WHERE {row}.end_date IS NOT NULL AND NOT {row}.is_deleted
    {_upsert("indicators_completionrollup", C_KEY, C_SUMS)};"""


def remove_project(row: str, vendor: str) -> str:
    """Take the project ``row`` (OLD) out of both roll-ups; rows left with no project go."""
    match = " AND ".join(
        f"{c} = {v}" for c, v in zip(P_KEY.split(", "), _project_key(row, vendor), strict=True)
    )
    match += f" AND NOT {row}.is_deleted"
    c_match = " AND ".join(
        f"{c} = {v}" for c, v in zip(C_KEY.split(", "), _completion_key(row, vendor), strict=True)
    )
    c_match += f" AND NOT {row}.is_deleted"
    return f"""UPDATE indicators_projectrollup SET project_count = project_count - 1,
    total_investment = total_investment - {row}.total_investment,
    equipment_investment = equipment_investment - {row}.equipment_investment,
    energy_saving = energy_saving - {row}.energy_saving
    WHERE {match};
  DELETE FROM indicators_projectrollup WHERE {match} AND project_count = 0;
  UPDATE indicators_completionrollup SET project_count = project_count - 1,
    energy_saving = energy_saving - {row}.energy_saving WHERE {c_match};
  DELETE FROM indicators_completionrollup WHERE {c_match} AND project_count = 0;"""


# The columns the roll-ups read: an update that changes none of them leaves them alone.
PROJECT_COLUMNS = (
    "area_id",
    "year",
    "provincial_key",
    "types",
    "counted_from",
    "counted_until",
    "completed_from",
    "completed_until",
    "end_date",
    "total_investment",
    "equipment_investment",
    "energy_saving",
    "is_deleted",
)


def _project_changed(vendor: str) -> str:
    op = "IS NOT" if vendor == "sqlite" else "IS DISTINCT FROM"
    return " OR ".join(f"OLD.{c} {op} NEW.{c}" for c in PROJECT_COLUMNS)


def project_rebuild(vendor: str) -> list[str]:
    """Both project roll-ups from scratch (after a bulk load with the triggers off)."""
    key = ", ".join(_project_key("p", vendor))
    c_key = ", ".join(_completion_key("p", vendor))
    return [
        "DELETE FROM indicators_projectrollup",
        "DELETE FROM indicators_completionrollup",
        f"""INSERT INTO indicators_projectrollup ({P_KEY}, {P_SUMS})
  SELECT {key}, COUNT(*), SUM(p.total_investment), SUM(p.equipment_investment), SUM(p.energy_saving)
  FROM registry_project p WHERE NOT p.is_deleted GROUP BY {key}""",
        f"""INSERT INTO indicators_completionrollup ({C_KEY}, {C_SUMS})
  SELECT {c_key}, COUNT(*), SUM(p.energy_saving)
  FROM registry_project p WHERE p.end_date IS NOT NULL AND NOT p.is_deleted GROUP BY {c_key}""",
    ]


# T1's large projects (total investment ≥ the plan's threshold) are counted on the projects table:
# the threshold is plan data, so it cannot be a roll-up key. This index makes that count a short
# range scan (few projects are that large). It lives here, with the triggers, rather than in the
# registry's models: it serves this query only.
LARGE_INDEX = "indicators_project_investment"
LARGE_INDEX_SQL = f"CREATE INDEX {LARGE_INDEX} ON registry_project (total_investment)"


def project_install(connection) -> list[str]:
    if connection.vendor == "sqlite":
        return [
            f"""CREATE TRIGGER indicators_project_insert AFTER INSERT ON registry_project
BEGIN {add_project("NEW", "sqlite")} END""",
            f"""CREATE TRIGGER indicators_project_delete AFTER DELETE ON registry_project
BEGIN {remove_project("OLD", "sqlite")} END""",
            f"""CREATE TRIGGER indicators_project_change AFTER UPDATE ON registry_project
WHEN {_project_changed("sqlite")}
BEGIN {remove_project("OLD", "sqlite")} {add_project("NEW", "sqlite")} END""",
        ]
    return [
        f"""CREATE OR REPLACE FUNCTION indicators_project_rollups() RETURNS trigger AS $$
BEGIN
  IF TG_OP IN ('DELETE', 'UPDATE') THEN {remove_project("OLD", "postgresql")} END IF;
  IF TG_OP IN ('INSERT', 'UPDATE') THEN {add_project("NEW", "postgresql")} END IF;
  RETURN NULL;
END $$ LANGUAGE plpgsql""",
        """CREATE TRIGGER indicators_project_rollups AFTER INSERT OR DELETE ON registry_project
FOR EACH ROW EXECUTE FUNCTION indicators_project_rollups()""",
        f"""CREATE TRIGGER indicators_project_rollups_change AFTER UPDATE ON registry_project
FOR EACH ROW WHEN ({_project_changed("postgresql")}) EXECUTE FUNCTION indicators_project_rollups()""",
    ]


def project_uninstall(connection) -> list[str]:
    if connection.vendor == "sqlite":
        return [
            f"DROP TRIGGER IF EXISTS {name}"
            for name in (
                "indicators_project_insert",
                "indicators_project_delete",
                "indicators_project_change",
            )
        ]
    return [
        "DROP TRIGGER IF EXISTS indicators_project_rollups ON registry_project",
        "DROP TRIGGER IF EXISTS indicators_project_rollups_change ON registry_project",
        "DROP FUNCTION IF EXISTS indicators_project_rollups()",
    ]
