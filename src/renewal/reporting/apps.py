from django.apps import AppConfig


class ReportingConfig(AppConfig):
    name = "renewal.reporting"
    verbose_name = "报送与督办"
