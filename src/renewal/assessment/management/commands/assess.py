"""`renewal assess --year Y --as-of D [--json]`: scores and ranks of the areas (O2)."""

import datetime as dt
import json

from django.core.management.base import BaseCommand, CommandError

from renewal.assessment import selectors
from renewal.planning.selectors import NoPlanLoaded


class Command(BaseCommand):
    help = "各区域设备更新工作考核得分与排名（O2）"

    def add_arguments(self, parser):
        parser.add_argument("--year", type=int, required=True, help="考核年度")
        parser.add_argument("--as-of", required=True, help="截至日期 YYYY-MM-DD")
        parser.add_argument("--json", action="store_true", help="输出 JSON（契约格式）")

    def handle(self, *args, **opts):
        try:
            as_of = dt.date.fromisoformat(opts["as_of"])
        except ValueError:
            raise CommandError(f"--as-of：应为日期 YYYY-MM-DD，实为 {opts['as_of']!r}") from None
        if as_of.year != opts["year"]:
            raise CommandError(f"--as-of：截至日期 {as_of} 不在考核年度 {opts['year']} 内")
        try:
            result = selectors.assessment(opts["year"], as_of)
        except (NoPlanLoaded, selectors.NoScheme) as exc:
            raise CommandError(str(exc)) from None
        if opts["json"]:
            self.stdout.write(json.dumps(result, ensure_ascii=False, indent=2))
            return
        note = "（示例评分方案）" if result["example"] else ""
        self.stdout.write(f"{result['year']}年 截至 {result['as_of']} 各区域考核排名{note}")
        for it in result["items"]:
            prev = it["previous_rank"] or "—"
            mark = " 天工鼎推荐" if it["recommended"] else ""
            self.stdout.write(
                f"{it['rank']:>2}  {it['area_name']:<12} {it['score']:>7.2f}  上月 {prev}{mark}"
            )
