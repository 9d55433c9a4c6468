from django.apps import AppConfig


class DraftingConfig(AppConfig):
    name = "renewal.drafting"
    verbose_name = "方案起草"

    def ready(self) -> None:
        from renewal.planning.commands import Subcommand, register

        from . import cli

        register("draft", Subcommand(cli.HELP, cli.add_arguments, cli.handle))
