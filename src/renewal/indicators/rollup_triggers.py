"""Install and remove the roll-up triggers around migrations (see apps.IndicatorsConfig.ready)."""

from django.db import connections

from . import rollup_sql

ROLLUP_TABLE = "indicators_progressrollup"


def _ready(connection) -> bool:
    tables = set(connection.introspection.table_names())
    return {ROLLUP_TABLE, "registry_project", "registry_monthlyprogress"} <= tables


def before_migrate(sender, using="default", **kwargs) -> None:
    connection = connections[using]
    if _ready(connection):
        with connection.cursor() as cursor:
            for statement in rollup_sql.uninstall(connection):
                cursor.execute(statement)


def after_migrate(sender, using="default", **kwargs) -> None:
    """(Re)install the triggers and rebuild the roll-up from the registry: exact whatever ran."""
    connection = connections[using]
    if not _ready(connection):
        return
    with connection.cursor() as cursor:
        for statement in rollup_sql.uninstall(connection):
            cursor.execute(statement)
        for statement in rollup_sql.install(connection):
            cursor.execute(statement)
        cursor.execute(f"DELETE FROM {ROLLUP_TABLE}")
        cursor.execute(rollup_sql.REBUILD)
