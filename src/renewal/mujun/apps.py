from django.apps import AppConfig


class MujunConfig(AppConfig):
    name = "renewal.mujun"
    verbose_name = "亩均评价"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from renewal.registry.models import Enterprise
        from renewal.registry.services import cascade_register

        from .models import AnnualData

        # an enterprise's 亩均 rows go to the recycle bin with it (the scope paths are declared by
        # the sheet kind, exchange/kinds/mujun_data.py)
        cascade_register(Enterprise, AnnualData, "enterprise")
