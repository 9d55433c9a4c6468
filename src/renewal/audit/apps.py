from django.apps import AppConfig
from django.db.models.signals import pre_save


class AuditConfig(AppConfig):
    name = "renewal.audit"
    verbose_name = "审计"

    def ready(self) -> None:
        from renewal.lib.text import model_text_check

        # every save of every project model, whatever the path: no text the databases would
        # refuse (PostgreSQL) or store unlike each other (SQLite) — lib/text.py
        pre_save.connect(model_text_check, dispatch_uid="renewal.lib.text.model_text_check")
