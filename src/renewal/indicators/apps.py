from django.apps import AppConfig
from django.db.models.signals import post_migrate, pre_migrate


class IndicatorsConfig(AppConfig):
    name = "renewal.indicators"
    verbose_name = "指标监测"

    def ready(self) -> None:
        from renewal.planning import schema

        from . import measures, rollup_triggers

        # A plan file may name only the measures defined here (``plan check``/``plan load``).
        schema.measures_register(measures.MEASURES)

        # SQLite rebuilds a table to alter it, which breaks triggers that name it: the roll-up
        # triggers are taken down before any migration runs and put back (with the roll-up
        # rebuilt from the registry) after, so registry migrations never meet them.
        pre_migrate.connect(rollup_triggers.before_migrate, sender=self)
        post_migrate.connect(rollup_triggers.after_migrate, sender=self)
