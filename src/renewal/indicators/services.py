"""Writes of the indicators app: rebuilding the roll-ups from scratch.

The triggers keep every roll-up exact on each write; a rebuild is only needed after rows went in
with the triggers off (the benchmark's bulk load) or to check them.
"""

from collections.abc import Callable

from django.db import connection, transaction

from . import dataversion_sql, rollup_sql


def rollups_rebuild() -> None:
    """Recompute the progress roll-up and both project roll-ups from the registry rows."""
    with transaction.atomic(), connection.cursor() as c:
        c.execute("DELETE FROM indicators_progressrollup")
        c.execute(rollup_sql.rebuild(connection.vendor))
        for statement in rollup_sql.project_rebuild(connection.vendor):
            c.execute(statement)
        # rows may have gone in with the triggers off (rollups_suspend): the figures changed
        c.execute(dataversion_sql.BUMP_ZERO_SQL[connection.vendor])


def rollups_suspend() -> Callable[[], None]:
    """SQLite, inside the caller's transaction: drop the roll-up triggers for a bulk write (two
    upserts per project row) and return the function that puts them back and recomputes the
    roll-ups from the registry rows in one pass. A rollback puts them back by itself. Only this
    module knows the triggers' names."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND name LIKE 'indicators\\_%' ESCAPE '\\'"
        )
        dropped = cursor.fetchall()
        for name, _ in dropped:
            cursor.execute(f"DROP TRIGGER {connection.ops.quote_name(name)}")

    def restore() -> None:
        with connection.cursor() as cursor:
            for _, sql in dropped:
                cursor.execute(sql)
        rollups_rebuild()

    return restore
