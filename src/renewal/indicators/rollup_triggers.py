"""Take the roll-up triggers down before migrations and put them back after
(see apps.IndicatorsConfig.ready).

SQLite alters a table by rebuilding it, which breaks triggers that name it and drops indexes
Django does not know about; so no registry migration ever meets a trigger, and after every
migrate (and flush) the triggers, the large-project index and the roll-ups are re-created from
the registry rows: exact whatever ran. A migrate with nothing to apply (``renewal demo`` runs one
every time) and ``flush`` (which empties the roll-ups with everything else) leave them alone.
"""

from django.db import connections

from . import dataversion_sql, rollup_sql

TABLES = {
    "indicators_progressrollup",
    "indicators_projectrollup",
    "indicators_completionrollup",
    "registry_project",
    "registry_monthlyprogress",
}


def _ready(connection) -> bool:
    return TABLES <= set(connection.introspection.table_names())


def _uninstall(connection, cursor) -> None:
    for statement in (
        rollup_sql.uninstall(connection)
        + rollup_sql.project_uninstall(connection)
        + dataversion_sql.uninstall(connection)
    ):
        cursor.execute(statement)


def before_migrate(sender, using="default", plan=None, **kwargs) -> None:
    if not plan:
        return
    connection = connections[using]
    if _ready(connection):
        with connection.cursor() as cursor:
            _uninstall(connection, cursor)


def after_migrate(sender, using="default", plan=None, **kwargs) -> None:
    if not plan:
        return
    connection = connections[using]
    if not _ready(connection):
        return
    versioned = "indicators_dataversion" in connection.introspection.table_names()
    with connection.cursor() as cursor:
        _uninstall(connection, cursor)
        for statement in (
            rollup_sql.install(connection)
            + rollup_sql.project_install(connection)
            + (dataversion_sql.install(connection) if versioned else [])
        ):
            cursor.execute(statement)
        cursor.execute(rollup_sql.LARGE_INDEX_SQL.replace("CREATE INDEX", "CREATE INDEX IF NOT EXISTS"))
        cursor.execute("DELETE FROM indicators_progressrollup")
        cursor.execute(rollup_sql.rebuild(connection.vendor))
        for statement in rollup_sql.project_rebuild(connection.vendor):
            cursor.execute(statement)
        if versioned:
            cursor.execute(dataversion_sql.BUMP_ZERO_SQL[connection.vendor])
