from django.apps import AppConfig


class AssessmentConfig(AppConfig):
    name = "renewal.assessment"
    verbose_name = "考核评分"
