"""The enterprise calculator's form → the contract's request (pages show 万元, the contract takes 元)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation

from renewal.policy.contract import CATEGORY_LABELS

WAN = Decimal(10000)
ACQUISITIONS = [("purchase", "购置"), ("lease", "租赁")]
FIRST_SET_LEVELS = [("", "否"), ("市级", "市级"), ("省级", "省级"), ("国家级", "国家级")]
CATEGORIES = list(CATEGORY_LABELS.items())
ROW_FIELDS = (
    "name",
    "acquisition",
    "unit_price",
    "quantity",
    "lease_fee",
    "first_set",
    "acquired_on",
    "category",
)


def example_form(today: dt.date) -> dict:
    """The shared calc example, as the page shows it (万元)."""
    return {
        "date": "2024-09-30",
        "cit_rate": "",
        "high_tech": False,
        "ic_enterprise": False,
        "machine_tool_enterprise": True,
        "rd_expense": "300",
        "uscc": "91330482MA2D4E5F65",
        "code": "EX-004",
        "types": ["技术改造"],
        "provincial_key": True,
        "total_investment": "20000",
        "area": "330482",
        "rows": [
            row("数控车床", "purchase", "80", "5", "", "", "2024-04-01", "general"),
            row("精密数控车床（首台套）", "purchase", "600", "1", "", "省级", "2024-05-01", "general"),
            row("余热回收机组", "purchase", "150", "1", "", "", "2024-06-15", "energy_saving"),
            row("检测机器人（租赁）", "lease", "", "1", "60", "", "2024-07-01", "general"),
        ],
    }


def row(
    name="",
    acquisition="purchase",
    unit_price="",
    quantity="1",
    lease_fee="",
    first_set="",
    acquired_on="",
    category="general",
):
    return dict(
        zip(
            ROW_FIELDS,
            (name, acquisition, unit_price, quantity, lease_fee, first_set, acquired_on, category),
            strict=True,
        )
    )


def blank_form(today: dt.date) -> dict:
    return {
        "date": today.isoformat(),
        "cit_rate": "",
        "high_tech": False,
        "ic_enterprise": False,
        "machine_tool_enterprise": False,
        "rd_expense": "",
        "uscc": "",
        "code": "",
        "types": ["技术改造"],
        "provincial_key": False,
        "total_investment": "",
        "area": "",
        "rows": [row(acquired_on=today.isoformat()) for _ in range(3)],
    }


def form_from_post(post) -> dict:
    rows = []
    for i in range(200):
        if f"eq-{i}-name" not in post:
            break
        rows.append({f: post.get(f"eq-{i}-{f}", "").strip() for f in ROW_FIELDS})
    return {
        "date": post.get("date", "").strip(),
        "cit_rate": post.get("cit_rate", "").strip(),
        "high_tech": "high_tech" in post,
        "ic_enterprise": "ic_enterprise" in post,
        "machine_tool_enterprise": "machine_tool_enterprise" in post,
        "rd_expense": post.get("rd_expense", "").strip(),
        "uscc": post.get("uscc", "").strip(),
        "code": post.get("code", "").strip(),
        "types": post.getlist("types"),
        "provincial_key": "provincial_key" in post,
        "total_investment": post.get("total_investment", "").strip(),
        "area": post.get("area", "").strip(),
        "rows": rows or [row()],
    }


def _yuan(text: str, label: str, errors: list[str], blank: int | None = 0) -> int | float | None:
    """万元 text → yuan; ``blank`` for an empty field (None: not given, which the contract refuses
    where the amount is needed, e.g. the price of a purchase)."""
    if not text:
        return blank
    try:
        v = Decimal(text.replace(",", "")) * WAN
    except InvalidOperation:
        errors.append(f"{label}：应为数字（万元），实为 {text!r}")
        return 0
    return int(v) if v == v.to_integral_value() else float(v)


def request_from_form(form: dict) -> tuple[dict, list[str]]:
    """The contract's request; ``errors`` lists the page's own conversion problems (万元 fields)."""
    errors: list[str] = []
    cit = None
    if form["cit_rate"]:
        try:
            cit = float(Decimal(form["cit_rate"]) / 100)
        except InvalidOperation:
            errors.append(f"企业所得税税率：应为百分数，实为 {form['cit_rate']!r}")
    equipment = []
    for i, r in enumerate(form["rows"], start=1):
        if not any(r[f] for f in ("name", "unit_price", "lease_fee")):
            continue  # an empty row
        equipment.append(
            {
                "name": r["name"],
                "acquisition": r["acquisition"] or "purchase",
                "unit_price": _yuan(r["unit_price"], f"设备第{i}行·单价", errors, blank=None),
                "quantity": r["quantity"] or 1,  # the contract checks it is a whole number ≥ 1
                "lease_fee": _yuan(r["lease_fee"], f"设备第{i}行·租赁费", errors, blank=None),
                "first_set": r["first_set"] or None,
                "acquired_on": r["acquired_on"] or None,
                "category": r["category"] or "general",
            }
        )
    request = {
        "date": form["date"] or None,
        "enterprise": {
            "uscc": form["uscc"],
            "cit_rate": cit,
            "high_tech": form["high_tech"],
            "ic_enterprise": form["ic_enterprise"],
            "machine_tool_enterprise": form["machine_tool_enterprise"],
            "rd_expense": _yuan(form["rd_expense"], "费用化研发支出", errors),
        },
        "project": {
            "code": form["code"],
            "types": form["types"],
            "provincial_key": form["provincial_key"],
            "total_investment": _yuan(form["total_investment"], "项目总投资", errors),
            "area": form["area"],
        },
        "equipment": equipment,
    }
    return request, errors
