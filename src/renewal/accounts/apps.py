from django.apps import AppConfig
from django.db.models.signals import post_migrate, post_save


def _sync_roles(sender, **kwargs):
    from .roles import roles_sync

    roles_sync()


def _profile_saved(sender, instance, **kwargs):
    from .roles import profile_groups_sync

    profile_groups_sync(instance)


class AccountsConfig(AppConfig):
    name = "renewal.accounts"
    verbose_name = "用户与权限"

    def ready(self):
        # every app's post_migrate: permissions of apps listed later exist only after theirs
        post_migrate.connect(_sync_roles, dispatch_uid="renewal-roles-sync")
        post_save.connect(_profile_saved, sender="accounts.Profile", dispatch_uid="renewal-profile-groups")
