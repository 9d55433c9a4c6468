from django.apps import AppConfig


class QualityConfig(AppConfig):
    name = "renewal.quality"
    verbose_name = "数据质量"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from renewal.accounts import scope

        # a flag is read and reviewed in the scope of its project (area operator: its area;
        # enterprise: its own projects)
        scope.register("quality.valueflag", area="project__area_id", uscc="project__enterprise__uscc")
