from django.apps import AppConfig


class IndicatorsConfig(AppConfig):
    name = "renewal.indicators"
    verbose_name = "指标监测"
