"""`renewal indicators --year Y --as-of YYYY-MM-DD [--area CODE] [--json]`."""

import json

from django.core.management.base import BaseCommand, CommandError

from renewal.indicators import display, selectors
from renewal.planning import selectors as plans

STATUS = {"green": "绿", "yellow": "黄", "red": "红", "none": "未分解", None: "—"}


class Command(BaseCommand):
    help = "计算各项目标指标（实际、目标、完成率、序时进度、状态、年末预测）"

    def add_arguments(self, parser):
        parser.add_argument("--year", help="年度，如 2024（默认：截止日期所在年）")
        parser.add_argument("--as-of", dest="as_of", help="截止日期 YYYY-MM-DD（默认：有数据的最后一个月末）")
        parser.add_argument("--area", help="区域代码或名称（默认：全市）")
        parser.add_argument("--json", action="store_true", help="输出 JSON（与 API 相同）")

    def handle(self, *args, **options):
        from renewal.indicators import answers

        version = answers.data_version()  # read first, as the API does
        try:
            plan = selectors.active_plan()
            query = selectors.parse_query(
                plan, year=options["year"], as_of=options["as_of"], area=options["area"]
            )
        except (plans.NoPlanLoaded, selectors.BadRequest) as exc:
            raise CommandError(str(exc)) from None
        answer = display.answer_display(selectors.indicators_answer(plan, query)) | {"data_version": version}
        if options["json"]:
            from renewal.indicators.api import IndicatorsOut  # the API's own schema: same JSON

            shaped = IndicatorsOut.model_validate(answer).model_dump(mode="json")
            self.stdout.write(json.dumps(shaped, ensure_ascii=False, indent=1))
            return
        self.stdout.write(f"{answer['area_name']} {query.year}年 截至 {query.as_of}")
        for it in answer["items"]:
            actual, target = it["actual_display"], it["target_display"]
            completion, expected = it["completion_display"], it["expected_display"]
            line = f"{it['clause']:<4} {it['name']:<20} 实际 {actual:>12} / 目标 {target:>12}  完成 {completion:>7}  应达 {expected:>7}  {STATUS[it['status']]}"
            if it["reason"]:
                line += f"  （{it['reason']}）"
            self.stdout.write(line)
        for w in answer["warnings"]:
            self.stdout.write(self.style.WARNING(f"提示：{w}"))
