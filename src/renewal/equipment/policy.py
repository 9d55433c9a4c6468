"""From an equipment line (设备清单) to an item of the policy engine's request (``policy.contract``):
the one mapping, used by settlement, the project page's per-line explanation and the declaration."""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal

from . import rules

ACQUISITIONS = {rules.PURCHASE: "purchase", rules.LEASE: "lease"}
# 设备类别 → the contract's category: the P13 special equipment by its kind, every other line as
# production equipment whose depreciation class is its 折旧类别
CATEGORIES = {
    "节能节水专用设备": "energy_saving",
    "环境保护专用设备": "environmental",
    "安全生产专用设备": "safety",
}
DEPRECIATION_CLASSES = {
    "机器设备": "machinery",
    "器具工具家具": "tools",
    "运输工具": "vehicles",
    "电子设备": "electronics",
}
FIELDS = (
    "number",
    "name",
    "category",
    "acquisition",
    "unit_price",
    "quantity",
    "lease_fee",
    "first_set_level",
    "acquired_on",
    "depreciation_class",
)


def line_item(line) -> dict:
    """The request item of a line (a model or a mapping of ``FIELDS``), numbers as JSON numbers."""
    v = line if isinstance(line, Mapping) else {f: getattr(line, f) for f in FIELDS}
    purchase = v["acquisition"] != rules.LEASE
    return {
        "name": f"{v['number']}. {v['name']}",
        "acquisition": ACQUISITIONS.get(v["acquisition"], "purchase"),
        "unit_price": number(v["unit_price"]) if purchase else None,
        "quantity": (v["quantity"] or 1) if purchase else 1,
        "lease_fee": None if purchase else number(v["lease_fee"]),
        "first_set": None if v["first_set_level"] in ("", "无", None) else v["first_set_level"],
        "acquired_on": v["acquired_on"].isoformat() if v["acquired_on"] else None,
        "category": CATEGORIES.get(v["category"], "general"),
        "depreciation_class": DEPRECIATION_CLASSES.get(v["depreciation_class"], "machinery"),
    }


def number(v: Decimal | None) -> int | float | None:
    """A yuan amount as a JSON number (an integer when it is whole)."""
    if v is None:
        return None
    return int(v) if v == v.to_integral_value() else float(v)
