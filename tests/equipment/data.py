"""Small equipment records for tests: catalogue entries and ledger items."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from renewal.equipment.models import EliminationEntry, LedgerItem

CATALOGUE = "测试淘汰目录"


def entry(number: str, prefixes: str, *, category: str = "通用设备", effective_on=dt.date(2024, 1, 1), **kw):
    fields = {
        "catalogue": CATALOGUE,
        "batch": "第一批",
        "number": number,
        "name": f"测试淘汰设备{number}",
        "category": category,
        "prefixes": prefixes,
        "reason": "能效不达标（测试）",
        "document_no": "测试文号",
        "effective_on": effective_on,
    }
    return EliminationEntry.objects.create(**(fields | kw))


def item(ent, number: str, spec: str, *, category: str = "通用设备", status: str = "在用", **kw):
    fields = {
        "enterprise": ent,
        "number": number,
        "name": f"设备{number}",
        "spec": spec,
        "category": category,
        "status": status,
        "original_value": Decimal(100_000),
        "rated_power_kw": Decimal("55.5"),
    }
    return LedgerItem.objects.create(**(fields | kw))
