from django.apps import AppConfig


class ReportingConfig(AppConfig):
    name = "renewal.reporting"
    verbose_name = "报送与督办"

    def ready(self):
        from renewal.accounts.scope import register

        # an area operator reads its own area's approval rows and their history
        register("reporting.monthapproval", area="area_id", uscc=None)
