from django.apps import AppConfig


class WebConfig(AppConfig):
    name = "renewal.web"
    verbose_name = "页面"
