"""`renewal equipment candidates [--area CODE] [--date YYYY-MM-DD] [--json]`: the ledger items still to
renew under T9 on a day, and each area's renewal rate (informational: T9 sets no target)."""

import datetime as dt
import json

from django.core.management.base import BaseCommand, CommandError
from django.db.models import Q
from django.utils import timezone

from renewal.accounts.models import Role
from renewal.accounts.scope import Scope
from renewal.equipment import selectors
from renewal.equipment.policy import number
from renewal.lib import units
from renewal.planning.models import Area

CITY = Scope(role=Role.CITY_ADMIN)  # the console reads the whole city


def candidates_json(*, area: str | None, day: dt.date) -> dict:
    """The command's JSON: numbers as JSON numbers, amounts in yuan, dates as YYYY-MM-DD."""
    items = selectors.candidates(scope=CITY, area=area, day=day)
    return {
        "date": day.isoformat(),
        "items": [
            {
                "area": c.area,
                "uscc": c.uscc,
                "enterprise": c.enterprise,
                "number": c.number,
                "name": c.name,
                "spec": c.spec,
                "category": c.category,
                "status": c.status,
                "original_value": number(c.original_value),
                "rated_power_kw": number(c.rated_power_kw),
                "entry": {
                    "catalogue": c.entry.catalogue,
                    "batch": c.entry.batch,
                    "number": c.entry.number,
                    "name": c.entry.name,
                    "document_no": c.entry.document_no,
                    "effective_on": c.entry.effective_on.isoformat(),
                },
            }
            for c in items
        ],
        "by_area": [
            {
                "area": r["area"],
                "renewed": r["renewed"],
                "candidates": r["candidates"],
                "rate": None if r["rate"] is None else float(r["rate"]),
            }
            for r in selectors.renewal_rate(area=area, day=day)
        ],
    }


class Command(BaseCommand):
    help = "设备：待更新淘汰设备清单与各区域淘汰类设备更新率（T9，信息性指标，未设目标）"

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        candidates = sub.add_parser("candidates", help="与淘汰目录匹配、尚未淘汰的台账设备（T9）")
        candidates.add_argument("--area", help="区域代码或名称（默认：全市）")
        candidates.add_argument("--date", help="日期 YYYY-MM-DD（默认：今天）")
        candidates.add_argument("--json", action="store_true", help="输出 JSON（金额单位：元）")

    def handle(self, *args, action, **options):
        day = timezone.localdate()
        if options["date"]:
            try:
                day = dt.date.fromisoformat(options["date"])
            except ValueError:
                raise CommandError(f"日期“{options['date']}”无法识别（应为 YYYY-MM-DD）") from None
        area = None
        if options["area"]:
            text = options["area"].strip()
            area = (
                Area.objects.filter(Q(code=text) | Q(name=text) | Q(short_name=text))
                .values_list("code", flat=True)
                .first()
            )
            if area is None:
                raise CommandError(f"未知的区域“{text}”（请填区域代码或名称）")
        data = candidates_json(area=area, day=day)
        if options["json"]:
            self.stdout.write(json.dumps(data, ensure_ascii=False, indent=1))
            return
        names = dict(Area.objects.values_list("code", "name"))
        self.stdout.write(f"待更新淘汰设备 截至 {day}（T9 未设定量目标，信息性指标）")
        for r in data["by_area"]:
            rate = units.percent(r["rate"])
            self.stdout.write(
                f"  {names[r['area']]:<8} 已更新 {r['renewed']:>5} 台  待更新 {r['candidates']:>5} 台  更新率 {rate}"
            )
        for i in data["items"]:
            self.stdout.write(
                f"  {names[i['area']]} {i['enterprise']} {i['number']} {i['name']} {i['spec']}（{i['status']}）"
                f" → {i['entry']['catalogue']}{i['entry']['batch']} 第{i['entry']['number']}项 {i['entry']['document_no']}"
            )
