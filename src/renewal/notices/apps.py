from django.apps import AppConfig


class NoticesConfig(AppConfig):
    name = "renewal.notices"
    verbose_name = "站内消息"
