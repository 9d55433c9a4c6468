from django.apps import AppConfig


class ExchangeConfig(AppConfig):
    name = "renewal.exchange"
    verbose_name = "Excel 导入导出"
