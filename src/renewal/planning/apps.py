from django.apps import AppConfig


class PlanningConfig(AppConfig):
    name = "renewal.planning"
    verbose_name = "行动方案"
