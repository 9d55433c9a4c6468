"""Rules of equipment values, pure (no ORM): the models' ``clean``, the import's row checks, the API
and the declaration form call the same functions, so each rule is written once.

``*_problems`` return field → Chinese message (errors: the record is refused); ``*_warnings`` return
Chinese sentences (the record is kept, the person is told).
"""

from __future__ import annotations

import datetime as dt
import unicodedata
from collections.abc import Iterable, Mapping
from decimal import Decimal

from renewal.lib import units

ZERO = Decimal(0)
PURCHASE, LEASE = "购置", "租赁"
# 首台套级别 at which P11 counts a line at 150 % and a product of the 首台套 registry is expected
REGISTERED_LEVELS = ("省级", "国家级")


def line_problems(v: Mapping) -> dict[str, str]:
    """A purchase needs 单价, 数量 (a whole number ≥ 1) and 购置日期; a lease needs 租赁费."""
    errors: dict[str, str] = {}
    if v.get("acquisition") == LEASE:
        if v.get("lease_fee") is None:
            errors["lease_fee"] = "租赁设备须填写租赁费"
        return errors
    if v.get("unit_price") is None:
        errors["unit_price"] = "购置设备须填写单价"
    quantity = v.get("quantity")
    if quantity is None:
        errors["quantity"] = "购置设备须填写数量（不小于1的整数）"
    elif quantity < 1:
        errors["quantity"] = f"数量应为不小于1的整数，实为 {quantity}"
    if v.get("acquired_on") is None:
        errors["acquired_on"] = "购置设备须填写购置日期（一次性税前扣除按购置日期判断）"
    return errors


def line_amount(v: Mapping) -> Decimal:
    """What a line costs: a purchase at unit price × quantity, a lease at its lease fee."""
    if v.get("acquisition") == LEASE:
        return v.get("lease_fee") or ZERO
    return (v.get("unit_price") or ZERO) * (v.get("quantity") or 0)


def first_set_warning(v: Mapping, known_products: Iterable[str]) -> str | None:
    """A line at 省级/国家级 should name a product of the 首台套 registry."""
    if v.get("first_set_level") not in REGISTERED_LEVELS:
        return None
    product = (v.get("first_set_product") or "").strip()
    if not product:
        return f"首台套级别为{v['first_set_level']}，但未填写首台套产品（应为首台套登记库中的产品）"
    if product not in set(known_products):
        return f"首台套产品“{product}”不在首台套登记库中（{v['first_set_level']}及以上），请核对名称"
    return None


def lines_total_warning(total: Decimal, equipment_investment: Decimal, tolerance: Decimal) -> str | None:
    """The project's lines may exceed its registered 设备投资 by ``tolerance`` (a ratio) at most."""
    if total > equipment_investment * (1 + tolerance):
        return (
            f"设备清单合计 {_wan(total)} 万元，超过项目登记的设备投资 {_wan(equipment_investment)} 万元"
            f"（允许超出 {units.percent(tolerance, trim=True)}）"
        )
    return None


def robots_warning(reported: int, in_lines: int) -> str | None:
    """Robots reported in monthly progress may not exceed the robots of the project's lines."""
    if reported > in_lines:
        return f"月度进度累计报送机器人到位 {reported} 台，超过设备清单中的工业机器人 {in_lines} 台"
    return None


def _wan(yuan: Decimal) -> str:
    return units.wan(yuan)


# ---- the elimination catalogue (T9): exact matching ---------------------------------------------


def fold(text: str | None) -> str:
    """How a 规格型号 and a prefix are compared: NFKC-folded, trimmed, upper-cased."""
    return unicodedata.normalize("NFKC", text or "").strip().upper()


def prefixes(text: str | None) -> list[str]:
    """The prefixes of a catalogue entry: one or more, joined by 、 (also , ，;)."""
    raw = unicodedata.normalize("NFKC", text or "")
    for sep in (",", ";", "，", "；"):
        raw = raw.replace(sep, "、")
    return [p for p in (fold(x) for x in raw.split("、")) if p]


def matches(item: Mapping, entry: Mapping, day: dt.date) -> bool:
    """A ledger item matches an entry when their 设备类别 are equal, the item's folded 规格型号 starts
    with one of the entry's folded prefixes, and the entry is in force (生效日期 ≤ ``day``)."""
    if item.get("category") != entry.get("category"):
        return False
    effective = entry.get("effective_on")
    if effective is None or effective > day:
        return False
    spec = fold(item.get("spec"))
    return bool(spec) and any(spec.startswith(p) for p in prefixes(entry.get("prefixes")))


# ---- the ledger (设备台账) and the renewal rate of T9 --------------------------------------------

ELIMINATED = "已淘汰"
IN_SERVICE = ("在用", "停用")  # not (yet) eliminated: what T9 asks to renew when it matches
EARLIEST_PURCHASE_YEAR = 1950


def ledger_problems(v: Mapping, *, today: dt.date) -> dict[str, str]:
    """状态 已淘汰 needs 淘汰日期, and only 已淘汰 has one; 购置年份 is a plausible past year."""
    errors: dict[str, str] = {}
    status, eliminated_on = v.get("status"), v.get("eliminated_on")
    if status == ELIMINATED and eliminated_on is None:
        errors["eliminated_on"] = "状态为“已淘汰”时须填写淘汰日期"
    elif eliminated_on is not None and status != ELIMINATED:
        errors["eliminated_on"] = f"只有状态为“已淘汰”的设备填写淘汰日期（该行状态为“{status}”）"
    year = v.get("purchase_year")
    if year is not None and not EARLIEST_PURCHASE_YEAR <= year <= today.year:
        errors["purchase_year"] = (
            f"购置年份 {year} 不合理（应为 {EARLIEST_PURCHASE_YEAR}–{today.year} 的四位年份）"
        )
    return errors


def renewal_rate(renewed: int, candidates: int) -> Decimal | None:
    """淘汰类设备更新率 (T9, informational): renewed ÷ (renewed + still to renew); None when both are 0."""
    total = renewed + candidates
    return None if total == 0 else Decimal(renewed) / Decimal(total)
