"""Rules of a registry record's values, pure (no ORM): the model's ``clean`` (pages, API, admin,
services) and the import's row checks call the same functions, so a rule is written once.

Each returns field → Chinese message, in the order a person reads the form.
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal

ZERO = Decimal(0)


def project_problems(v: Mapping) -> dict[str, str]:
    errors: dict[str, str] = {}
    equipment = v.get("equipment_investment") or ZERO
    if equipment > (v.get("total_investment") or ZERO):
        errors["equipment_investment"] = "设备投资不能大于总投资"
    if (v.get("first_set_purchase") or ZERO) > equipment:
        errors["first_set_purchase"] = "首台套购置额不能大于设备投资"
    if v.get("start_date") and v.get("end_date") and v["end_date"] < v["start_date"]:
        errors["end_date"] = "竣工日期不能早于开工日期"
    return errors


def progress_problems(v: Mapping) -> dict[str, str]:
    errors: dict[str, str] = {}
    if (v.get("equipment_investment") or ZERO) > (v.get("investment") or ZERO):
        errors["equipment_investment"] = "完成设备投资不能大于完成投资"
    return errors
