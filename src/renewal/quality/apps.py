from django.apps import AppConfig


class QualityConfig(AppConfig):
    name = "renewal.quality"
    verbose_name = "数据质量"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from renewal.accounts import scope
        from renewal.reporting import approval

        from . import selectors

        # an area cannot approve its month while error checks fail on it (issue 17)
        if selectors.open_errors not in approval.BLOCKERS:
            approval.BLOCKERS.append(selectors.open_errors)

        # a flag is read and reviewed in the scope of its project (area operator: its area;
        # enterprise: its own projects)
        scope.register("quality.valueflag", area="project__area_id", uscc="project__enterprise__uscc")
