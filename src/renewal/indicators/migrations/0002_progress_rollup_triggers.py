"""Triggers that keep the progress roll-up exact on every write (see ``rollup_sql``), and the
roll-up of the rows already there."""

from django.db import migrations

from renewal.indicators import rollup_sql


def install(apps, schema_editor):
    for statement in rollup_sql.install(schema_editor.connection):
        schema_editor.execute(statement)
    schema_editor.execute("DELETE FROM indicators_progressrollup")
    schema_editor.execute(rollup_sql.REBUILD)


def uninstall(apps, schema_editor):
    for statement in rollup_sql.uninstall(schema_editor.connection):
        schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [
        ("indicators", "0001_progress_rollup"),
        ("registry", "0002_soft_delete_version_transitions"),
    ]

    operations = [migrations.RunPython(install, uninstall)]
