"""`renewal settle --year Y [--area CODE] [--date D] [--dry-run] [--json]`: settles a year's accepted
projects on their equipment lines, as the settlement page's batch run does (``services.settle_projects``).

Amounts in yuan, JSON numbers; ``status`` of each project: created (a new decision record version),
unchanged (the latest record kept) or dry_run (computed, nothing written). Projects without
equipment lines are not settled and listed under ``missing_lines``."""

import datetime as dt
import json
import sys

from django.core.management.base import BaseCommand, CommandError

from renewal.lib import units
from renewal.planning import selectors as plans

from ... import services

STATUS_LABELS = {"created": "新增版本", "unchanged": "结果未变", "dry_run": "试算（未写入）"}
# the amounts of the table (tab-separated, 万元 as on the pages)
COLUMNS = (
    ("eligible_equipment_investment", "设备投资额(含加计,万元)"),
    ("first_set_bonus", "首台套加计(万元)"),
    ("subsidy_total", "核定补助(万元)"),
    ("expensing_eligible", "一次性扣除(万元)"),
    ("special_equipment_credit", "专用设备抵免(万元)"),
)


class Command(BaseCommand):
    help = "按设备清单批量核定某年度验收通过（及已兑现）项目的补助（与补助核定页面的批量核定相同）"

    def add_arguments(self, parser):
        parser.add_argument("--year", type=int, required=True, help="项目年度")
        parser.add_argument("--area", help="区域代码（如 330402），只核定该区域的项目")
        parser.add_argument("--date", help="核定所依据的日期 YYYY-MM-DD（默认今天）")
        parser.add_argument("--dry-run", action="store_true", help="只计算，不生成核定记录")
        parser.add_argument("--json", action="store_true", help="输出 JSON（金额单位：元）")

    def execute(self, *args, **options):
        try:
            return super().execute(*args, **options)
        except CommandError as exc:
            if not self._called_from_command_line or options.get("traceback"):
                raise
            # as `renewal calc`: the Chinese message alone, no English class name
            self.stderr.write(str(exc))
            sys.exit(exc.returncode)

    def handle(self, *args, year: int, area: str | None, date: str | None, dry_run: bool, **options):
        try:
            day = dt.date.fromisoformat(date) if date else None
        except ValueError:
            raise CommandError(f"核定日期格式有误：{date}（应为 YYYY-MM-DD）") from None
        try:
            plans.active_plan()  # no plan, no parameters: say so before anything else
            areas = {a.code: a.name for a in plans.area_list()}
            if area and area not in areas:
                raise CommandError(f"未知区域代码：{area}（可选：{'、'.join(areas)}）")
            out = services.settle_projects(
                year=year, area=area, dry_run=dry_run, date=day, reason=f"{year}年度批量核定（命令行）"
            )
        except plans.NoPlanLoaded as exc:
            raise CommandError(str(exc)) from None
        if options["json"]:
            self.stdout.write(json.dumps(out.as_json(), ensure_ascii=False, indent=2))
            return
        self._table(out, areas.get(area, "") if area else "", dry_run)

    def _table(self, out: services.Settlement, area_name: str, dry_run: bool) -> None:
        title = f"{out.year}年度{area_name}补助核定" + ("（试算，未写入）" if dry_run else "")
        self.stdout.write(title)
        head = ["项目编号"] + [label for _, label in COLUMNS] + ["叠加核减", "状态"]
        self.stdout.write("\t".join(head))
        for item in out.items:
            cells = [item["project"]] + [units.wan(item[key]) for key, _ in COLUMNS]
            cells += ["是" if item["capped"] else "否", STATUS_LABELS[item["status"]]]
            self.stdout.write("\t".join(cells))
        if dry_run:
            summary = f"共试算{len(out.items)}个项目，未写入核定记录"
        else:
            summary = (
                f"共核定{len(out.items)}个项目，新增版本{out.count('created')}个，"
                f"结果未变{out.count('unchanged')}个"
            )
        self.stdout.write(f"{summary}；补助合计 {units.wan(out.subsidy_total)} 万元")
        if out.missing_lines:
            self.stdout.write(f"缺少设备清单（未核定）：{'、'.join(out.missing_lines)}")
        for bad in out.invalid_lines:
            self.stdout.write(bad["message"])
