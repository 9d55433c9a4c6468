from django.apps import AppConfig


class DeclarationConfig(AppConfig):
    name = "renewal.declaration"
    verbose_name = "项目申报"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from renewal.accounts.scope import register
        from renewal.registry.models import Project
        from renewal.registry.services import cascade_register

        from .models import Attachment

        # a project's attachments go to the recycle bin with it, and are seen by whoever sees it
        cascade_register(Project, Attachment, "project")
        register("declaration.attachment", area="project__area_id", uscc="project__enterprise__uscc")
