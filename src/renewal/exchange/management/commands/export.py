"""`renewal export KIND -o FILE.xlsx [--area CODE] [--year Y] [--status S] [--user USERNAME]`."""

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from renewal.accounts.models import Role
from renewal.accounts.scope import Scope, scope_for
from renewal.exchange.registry_exports import exportable, registry_export


class Command(BaseCommand):
    help = "导出登记库列表为 xlsx（与导入模板同表头，可直接再导入）"

    def add_arguments(self, parser):
        parser.add_argument(
            "kind",
            choices=sorted(exportable()),
            help="enterprises 企业 / projects 项目 / progress 月度进度 / honours 试点示范 / "
            "first-sets 首台套 / allocations 资金下达 / statistics 统计指标（不适用的筛选条件忽略）",
        )
        parser.add_argument("-o", "--output", required=True)
        parser.add_argument("--area")
        parser.add_argument("--year", type=int)
        parser.add_argument("--status")
        parser.add_argument("--user", help="按该用户的权限范围导出；默认市级管理员")

    def handle(self, *args, kind, output, area, year, status, user, **options):
        scope = Scope(role=Role.CITY_ADMIN)
        if user:
            account = get_user_model().objects.filter(username=user).first()
            if account is None:
                raise CommandError(f"用户 {user} 不存在")
            scope = scope_for(account)
            if reason := scope.records_refusal("登记库"):
                raise CommandError(reason)
        rows = registry_export(output, kind=kind, scope=scope, area=area, year=year, status=status)
        self.stdout.write(f"已导出 {rows} 行到 {output}")
