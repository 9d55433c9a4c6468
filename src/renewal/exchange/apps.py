from django.apps import AppConfig


class ExchangeConfig(AppConfig):
    name = "renewal.exchange"
    verbose_name = "Excel 导入导出"

    def ready(self) -> None:
        from renewal.accounts.scope import register

        from .sheets import SHEETS

        # every sheet kind says where its records keep their area and credit code
        for spec in SHEETS:
            if spec.scope is not None:
                register(spec.model._meta.label, **spec.scope)
