"""Triggers that keep the progress roll-up exact on every write (see ``rollup_sql``), and the
roll-up of the rows already there."""

from django.db import migrations

from renewal.indicators import rollup_sql


def install(apps, schema_editor):
    """Nothing here any more: ``rollup_triggers.after_migrate`` installs the triggers and rebuilds
    the roll-up after every migrate that applied something. A trigger installed in the middle of
    a migrate made a later registry migration fail on SQLite, which rebuilds a table to alter it."""


def uninstall(apps, schema_editor):
    for statement in rollup_sql.uninstall(schema_editor.connection):
        schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [
        ("indicators", "0001_progress_rollup"),
        ("registry", "0002_soft_delete_version_transitions"),
    ]

    operations = [migrations.RunPython(install, uninstall)]
