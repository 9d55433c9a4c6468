from django.apps import AppConfig


class EquipmentConfig(AppConfig):
    name = "renewal.equipment"
    verbose_name = "设备"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from renewal.accounts.scope import register
        from renewal.registry.models import Enterprise, Project
        from renewal.registry.services import cascade_register

        from .models import EquipmentLine, LedgerItem

        # a project's lines and an enterprise's ledger go to the recycle bin with it
        cascade_register(Project, EquipmentLine, "project")
        cascade_register(Enterprise, LedgerItem, "enterprise")
        # reference data: every signed-in role reads the elimination catalogue
        register("equipment.eliminationentry", area=None, uscc=None)
