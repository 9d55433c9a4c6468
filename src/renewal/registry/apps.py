from django.apps import AppConfig


class RegistryConfig(AppConfig):
    name = "renewal.registry"
    verbose_name = "登记库"

    def ready(self) -> None:
        from renewal.accounts.scope import register

        # the registry's records that are not a sheet kind (the kinds register themselves: exchange)
        for label, area, uscc in [
            ("registry.projecttransition", "project__area_id", "project__enterprise__uscc"),
            ("registry.catalogueentry", "enterprise__area_id", "enterprise__uscc"),
            ("registry.typicalcase", "enterprise__area_id", "enterprise__uscc"),
            ("registry.serviceprovider", "area_id", None),
            ("registry.industrialchain", None, None),
        ]:
            register(label, area=area, uscc=uscc)
