from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "renewal.api"
    verbose_name = "数据接口"
