from django.apps import AppConfig


class ParksConfig(AppConfig):
    name = "renewal.parks"
    verbose_name = "园区"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from renewal.registry.models import Enterprise
        from renewal.registry.services import cascade_register

        from .models import EnterpriseRating, GreenParkItem, Park, ParkMember, SmartParkItem

        # the scope of every model comes from its sheet kind (exchange/kinds/, ExchangeConfig.ready);
        # an enterprise's membership and ratings, a park's members and items go to the recycle bin
        # with it
        cascade_register(Enterprise, ParkMember, "enterprise")
        cascade_register(Enterprise, EnterpriseRating, "enterprise")
        cascade_register(Park, ParkMember, "park")
        cascade_register(Park, SmartParkItem, "park")
        cascade_register(Park, GreenParkItem, "park")
