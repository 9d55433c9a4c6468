"""Value rules of a 亩均数据 row, pure (no ORM): the model's ``clean``, the services and the import's
row check (exchange/kinds/mujun_data.py) call the same function. Field → Chinese message."""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from typing import Any

QUANTITY_PLACES = 4  # 亩, 吨标准煤, 吨: four decimals are kept; more is refused, not rounded
QUANTITIES = {
    "land_mu": "用地面积",
    "energy_tce": "综合能耗",
    "emissions_t": "主要污染物排放当量",
}
MONEY = {
    "tax": "税收实际贡献",
    "value_added": "工业增加值",
    "revenue": "营业收入",
    "rd_expense": "研发经费支出",
}


def places(value: Decimal) -> int:
    exponent = value.normalize().as_tuple().exponent
    return max(0, -exponent) if isinstance(exponent, int) else 0


def data_problems(values: Mapping[str, Any]) -> dict[str, str]:
    """Problems of a row's values (None: not given, checked by the form or the sheet's required
    columns). Negative numbers are refused by the cells and the validators."""
    out: dict[str, str] = {}
    year = values.get("year")
    if year is not None and not 2000 <= int(year) <= 2100:
        out["year"] = f"年度 {year} 不合理（应为 2000–2100 的四位年份）"
    for field, label in QUANTITIES.items():
        value = values.get(field)
        if value is not None and places(Decimal(value)) > QUANTITY_PLACES:
            out[field] = f"{label}最多 {QUANTITY_PLACES} 位小数，实为 {value}"
    for field, label in MONEY.items():
        value = values.get(field)
        if value is not None and Decimal(value) < 0:
            out[field] = f"{label}不能为负数"
    return out
