"""Writes of the indicators app: rebuilding the roll-ups from scratch.

The triggers keep every roll-up exact on each write; a rebuild is only needed after rows went in
with the triggers off (the benchmark's bulk load) or to check them.
"""

from django.db import connection, transaction

from . import rollup_sql


def rollups_rebuild() -> None:
    """Recompute the progress roll-up and both project roll-ups from the registry rows."""
    with transaction.atomic(), connection.cursor() as c:
        c.execute("DELETE FROM indicators_progressrollup")
        c.execute(rollup_sql.REBUILD)
        for statement in rollup_sql.project_rebuild(connection.vendor):
            c.execute(statement)
