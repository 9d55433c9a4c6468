"""`renewal demo [--seed N] [--through YYYY-MM]`: migrate, load the plan, fill demo data and users."""

import datetime as dt

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError

from renewal.accounts.services import demo_users_ensure
from renewal.declaration.demo import attach_samples
from renewal.finance.demo import FinanceDemoError, finance_demo_load
from renewal.lib.errors import ServiceError
from renewal.mujun.demo import mujun_demo_load
from renewal.mujun.demo_results import mujun_results_demo_load
from renewal.parks.demo import ParksDemoError, parks_demo_load
from renewal.planning import schema
from renewal.planning.services import plan_load
from renewal.quality.demo import quality_demo_load
from renewal.registry import demo
from renewal.registry.models import Project
from renewal.registry.services import DemoExists, demo_dataset_load
from renewal.reporting import demo as reporting_demo

DEMO_PASSWORD = "Renewal-demo-2024"


def month(value: str) -> dt.date:
    try:
        return dt.datetime.strptime(value, "%Y-%m").date()
    except ValueError:
        raise CommandError(f"--through 应为 YYYY-MM，实为 {value!r}") from None


class Command(BaseCommand):
    help = "创建/迁移数据库，载入行动方案，生成确定性的演示数据和演示用户"

    def add_arguments(self, parser):
        parser.add_argument("--seed", type=int, default=7, help="随机种子（同一种子生成相同数据）")
        parser.add_argument(
            "--through",
            type=month,
            default=None,
            help="演示数据截至月份 YYYY-MM（同一世界截至该月末的样子；默认方案首年9月，最晚首年12月）",
        )
        parser.add_argument("--plan", default=settings.RENEWAL_PLAN_FILE, help="方案文件")
        parser.add_argument("--enterprises", type=int, default=2000)
        parser.add_argument("--projects", type=int, default=1500, help="方案首年的项目数")
        parser.add_argument("--password", default=DEMO_PASSWORD, help="演示用户密码")

    def handle(self, *args, seed, through, plan, enterprises, projects, password, **options):
        try:
            parsed = schema.read_plan(plan)
        except schema.PlanError as exc:
            raise CommandError("\n".join(exc.problems)) from None
        if through is not None and through > demo.last_month(parsed):
            raise CommandError(
                f"演示数据截至 {demo.last_month(parsed):%Y-%m}，--through 不能晚于该月（实为 {through:%Y-%m}）"
            )
        call_command("migrate", interactive=False, verbosity=0)
        plan_load(plan=parsed, source_file=str(plan))
        self.stdout.write(f"已载入方案：{parsed.document.title}（{parsed.document.number}）")

        world = demo.world(parsed, seed=seed, enterprises=enterprises, projects_per_year=projects)
        data = demo.cut(world, through or demo.default_through(parsed))
        try:
            counts = demo_dataset_load(data=data, plan_id=parsed.id)
        except DemoExists as exc:
            raise CommandError(str(exc)) from None
        if counts:
            self.stdout.write("已生成演示数据：" + "，".join(f"{k} {v}" for k, v in counts.items()))
        else:
            self.stdout.write(f"演示数据已存在（seed {seed}），未重复生成")

        # sample attachments (示例 PDFs) of a few declared projects, for the reviewers' pages
        declared = Project.objects.filter(status__in=("已申报", "区县审核通过")).order_by("code")[:8]
        attached = attach_samples(declared)
        if attached:
            self.stdout.write(f"已生成示例附件：{attached} 份")

        enterprise_users = [e["uscc"] for e in data.enterprises[:3]]
        users = demo_users_ensure(
            password=password, enterprise_usccs=enterprise_users, bank_codes=demo.DEMO_BANKS
        )

        # when each report came in, and how far each area's months went up the approval ladder
        if counts:
            reporting_demo.report_times_set()
        # data checks (issue 17): a few outliers reported through the service, and the flags
        checked = quality_demo_load(user=get_user_model().objects.get(username="city-admin"))
        if checked:
            self.stdout.write("已生成数据核查演示数据：" + "，".join(f"{k} {v}" for k, v in checked.items()))

        approvals = reporting_demo.approvals_load()
        if approvals:
            self.stdout.write(
                "已生成月度审核演示数据：" + "，".join(f"{k} {v}" for k, v in approvals.items())
            )

        # the finance part of the same world (P12): batches pushed to banks, loans, fund investments
        User = get_user_model()
        try:
            finance = finance_demo_load(
                world=world,
                through=data.through,
                user=User.objects.get(username="city-admin"),
                reviewer=User.objects.get(username="city-reviewer"),
            )
        except (ServiceError, FinanceDemoError) as exc:  # e.g. demo data of an older version
            raise CommandError(f"未能生成融资演示数据：{getattr(exc, 'message', exc)}") from None
        if finance:
            self.stdout.write("已生成融资演示数据：" + "，".join(f"{k} {v}" for k, v in finance.items()))
        else:
            self.stdout.write("融资演示数据已存在，未重复生成")

        # the 亩均 data of the same world (P14): one row per 规上 enterprise for 2023 and 2024
        try:
            mujun = mujun_demo_load(world=world, user=User.objects.get(username="city-admin"))
        except ServiceError as exc:
            raise CommandError(f"未能生成亩均演示数据：{exc.message}") from None
        if mujun:
            self.stdout.write("已生成亩均演示数据：" + "，".join(f"{k} {v}" for k, v in mujun.items()))
        else:
            self.stdout.write("亩均演示数据已存在，未重复生成")

        # the 亩均 results (公示, objections, confirmation) of that data, through the ladder's services
        try:
            evaluated = mujun_results_demo_load(reviewer=User.objects.get(username="city-reviewer"))
        except ServiceError as exc:
            raise CommandError(f"未能生成亩均评价演示数据：{exc.message}") from None
        if evaluated:
            self.stdout.write(
                "已生成亩均评价演示数据：" + "，".join(f"{k} {v}" for k, v in evaluated.items())
            )

        # the parks of the same world (T7, T8, T9): parks, members, smart and green items, ratings
        try:
            parks = parks_demo_load(
                world=world, through=data.through, user=User.objects.get(username="city-admin")
            )
        except ParksDemoError as exc:
            raise CommandError(str(exc)) from None
        if parks:
            self.stdout.write("已生成园区演示数据：" + "，".join(f"{k} {v}" for k, v in parks.items()))
        else:
            self.stdout.write("园区演示数据已存在，未重复生成")
        self.stdout.write(f"演示用户（密码均为 {password}）：")
        for u in users:
            self.stdout.write(f"  {u.username:<28} {u.role}（{u.scope}）")
