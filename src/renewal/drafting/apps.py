from django.apps import AppConfig


class DraftingConfig(AppConfig):
    name = "renewal.drafting"
    verbose_name = "方案起草"
