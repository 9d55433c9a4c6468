from django.apps import AppConfig


class RegistryConfig(AppConfig):
    name = "renewal.registry"
    verbose_name = "登记库"
