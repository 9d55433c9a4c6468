"""`renewal token USERNAME [--days N] [--name TEXT]`: print a new API token for a user."""

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from renewal.accounts.tokens import token_create


class Command(BaseCommand):
    help = "为用户生成 API 令牌（只显示一次，库中仅存摘要）"

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--days", type=int, default=90, help="有效天数（默认 90）")
        parser.add_argument("--name", default="命令行生成", help="令牌用途")

    def handle(self, *args, username, days, name, **options):
        user = get_user_model().objects.filter(username=username, is_active=True).first()
        if user is None:
            raise CommandError(f"用户 {username!r} 不存在或已停用")
        if days < 1:
            raise CommandError("--days 至少为 1")
        _, plain = token_create(user=user, name=name, days=days)
        self.stdout.write(plain)
