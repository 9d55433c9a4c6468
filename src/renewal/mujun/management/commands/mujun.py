"""`renewal mujun --year Y [--area CODE] [--json]`: the 亩均 evaluation of each area (P14)."""

import json

from django.core.management.base import BaseCommand, CommandError

from renewal.lib.errors import ServiceError
from renewal.mujun import selectors
from renewal.planning.selectors import NoPlanLoaded


class Command(BaseCommand):
    help = "企业亩均效益综合评价：各区域得分、排名与分类（P14）"

    def add_arguments(self, parser):
        # read as text: a bad year gets a Chinese message, not argparse's English one
        parser.add_argument("--year", help="评价年度，如 2024（必填）")
        parser.add_argument("--area", help="区域代码或名称（默认：全部区域）")
        parser.add_argument("--json", action="store_true", help="输出 JSON（契约格式，金额为元）")

    def handle(self, *args, **opts):
        try:
            result = selectors.evaluation(year=opts["year"], area=opts["area"])
        except (NoPlanLoaded, selectors.NoScheme, ServiceError) as exc:
            message = getattr(exc, "message", None) or str(exc)
            if message.startswith(("year：", "area：")):
                message = f"--{message}"  # the option's name, as the API names its parameter
            raise CommandError(message) from None
        if opts["json"]:
            self.stdout.write(json.dumps(result, ensure_ascii=False, indent=2))
            return
        note = "（示例评价方案）" if result["example"] else ""
        self.stdout.write(f"{result['year']}年企业亩均效益综合评价{note}：{len(result['items'])} 家参评企业")
        area = None
        for it in result["items"]:
            if it["area"] != area:
                area = it["area"]
                self.stdout.write(f"区域 {area}")
            projects = f"  加分项目 {'、'.join(it['bonus_projects'])}" if it["bonus_projects"] else ""
            self.stdout.write(
                f"{it['rank']:>4}  {it['class']}  {it['total']:>8.2f}  {it['uscc']}  {it['name']}{projects}"
            )
