from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "renewal.reports"
    verbose_name = "通报与目录发布"
