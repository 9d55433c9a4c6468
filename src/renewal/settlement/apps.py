from django.apps import AppConfig


class SettlementConfig(AppConfig):
    name = "renewal.settlement"
    verbose_name = "政策计算与补助兑现"
    default_auto_field = "django.db.models.BigAutoField"
