"""SQL of the progress roll-up triggers, per database (SQLite and PostgreSQL)."""

KEY = "area_code, project_year, provincial_key, status, month"
SUMS = "investment, equipment_investment, robots, cnc, row_count"
ON_CONFLICT = f"""ON CONFLICT ({KEY}) DO UPDATE SET
    investment = indicators_progressrollup.investment + excluded.investment,
    equipment_investment = indicators_progressrollup.equipment_investment + excluded.equipment_investment,
    robots = indicators_progressrollup.robots + excluded.robots,
    cnc = indicators_progressrollup.cnc + excluded.cnc,
    row_count = indicators_progressrollup.row_count + excluded.row_count"""


def add_row(row: str) -> str:
    """Add the progress row ``row`` (NEW) under its project's current key."""
    return f"""INSERT INTO indicators_progressrollup ({KEY}, {SUMS})
    SELECT p.area_id, p.year, p.provincial_key, p.status, {row}.month, {row}.investment,
           {row}.equipment_investment, {row}.robots, {row}.cnc, 1
    FROM registry_project p WHERE p.id = {row}.project_id
    {ON_CONFLICT};"""


def remove_row(row: str) -> str:
    """Subtract the progress row ``row`` (OLD) from its project's current key."""
    return f"""UPDATE indicators_progressrollup SET
    investment = investment - {row}.investment,
    equipment_investment = equipment_investment - {row}.equipment_investment,
    robots = robots - {row}.robots, cnc = cnc - {row}.cnc, row_count = row_count - 1
    WHERE month = {row}.month AND (area_code, project_year, provincial_key, status) =
      (SELECT p.area_id, p.year, p.provincial_key, p.status FROM registry_project p WHERE p.id = {row}.project_id);"""


# A project that changes area, year, provincial key or status moves its progress to the new key.
MOVE_PROJECT = f"""UPDATE indicators_progressrollup SET
    investment = indicators_progressrollup.investment - mp.investment,
    equipment_investment = indicators_progressrollup.equipment_investment - mp.equipment_investment,
    robots = indicators_progressrollup.robots - mp.robots, cnc = indicators_progressrollup.cnc - mp.cnc,
    row_count = indicators_progressrollup.row_count - 1
    FROM registry_monthlyprogress mp
    WHERE mp.project_id = NEW.id AND indicators_progressrollup.month = mp.month
      AND area_code = OLD.area_id AND project_year = OLD.year
      AND provincial_key = OLD.provincial_key AND status = OLD.status;
  INSERT INTO indicators_progressrollup ({KEY}, {SUMS})
    SELECT NEW.area_id, NEW.year, NEW.provincial_key, NEW.status, mp.month, mp.investment,
           mp.equipment_investment, mp.robots, mp.cnc, 1
    FROM registry_monthlyprogress mp WHERE mp.project_id = NEW.id
    {ON_CONFLICT};"""

PROJECT_CHANGED = (
    "OLD.area_id IS DISTINCT FROM NEW.area_id OR OLD.year IS DISTINCT FROM NEW.year OR "
    "OLD.provincial_key IS DISTINCT FROM NEW.provincial_key OR OLD.status IS DISTINCT FROM NEW.status"
)

REBUILD = f"""INSERT INTO indicators_progressrollup ({KEY}, {SUMS})
  SELECT p.area_id, p.year, p.provincial_key, p.status, mp.month, SUM(mp.investment),
         SUM(mp.equipment_investment), SUM(mp.robots), SUM(mp.cnc), COUNT(*)
  FROM registry_monthlyprogress mp JOIN registry_project p ON p.id = mp.project_id
  GROUP BY p.area_id, p.year, p.provincial_key, p.status, mp.month"""

SQLITE_INSTALL = [
    f"""CREATE TRIGGER indicators_progress_insert AFTER INSERT ON registry_monthlyprogress
BEGIN {add_row("NEW")} END""",
    f"""CREATE TRIGGER indicators_progress_delete AFTER DELETE ON registry_monthlyprogress
BEGIN {remove_row("OLD")} END""",
    f"""CREATE TRIGGER indicators_progress_update AFTER UPDATE ON registry_monthlyprogress
BEGIN {remove_row("OLD")} {add_row("NEW")} END""",
    f"""CREATE TRIGGER indicators_project_update AFTER UPDATE ON registry_project
WHEN {PROJECT_CHANGED.replace("IS DISTINCT FROM", "IS NOT")}
BEGIN {MOVE_PROJECT} END""",
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
  IF TG_OP IN ('DELETE', 'UPDATE') THEN {remove_row("OLD")} END IF;
  IF TG_OP IN ('INSERT', 'UPDATE') THEN {add_row("NEW")} END IF;
  RETURN NULL;
END $$ LANGUAGE plpgsql""",
    """CREATE TRIGGER indicators_progress_rollup AFTER INSERT OR UPDATE OR DELETE
ON registry_monthlyprogress FOR EACH ROW EXECUTE FUNCTION indicators_progress_rollup()""",
    f"""CREATE OR REPLACE FUNCTION indicators_project_rollup() RETURNS trigger AS $$
BEGIN
  {MOVE_PROJECT}
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
