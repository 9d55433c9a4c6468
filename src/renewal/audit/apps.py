from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "renewal.audit"
    verbose_name = "审计"
