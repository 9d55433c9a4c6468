"""The declaration form's POST, as a browser sends it (money in 万元)."""

from __future__ import annotations

LINE = {
    "name": "五轴数控机床",
    "spec": "VMC-850",
    "category": "数控机床",
    "acquisition": "购置",
    "unit_price": "150",
    "quantity": "2",
    "lease_fee": "",
    "origin": "国产",
    "first_set_level": "无",
    "first_set_product": "",
    "supplier": "嘉兴精机有限公司",
    "invoice_no": "",
    "acquired_on": "2024-05-10",
    "depreciation_class": "机器设备",
}


def form(*, lines: list[dict] | None = None, action: str = "save", **fields) -> dict:
    data = {
        "name": "南湖数控化改造项目",
        "year": "2024",
        "types": ["技术改造", "智能化改造"],
        "total_investment": "1000",
        "equipment_investment": "600",
        "first_set_purchase": "0",
        "new_robots": "0",
        "new_cnc": "2",
        "energy_saving": "12.5",
        "start_date": "2024-03-01",
        "end_date": "2024-12-31",
        "action": action,
    } | fields
    for i, line in enumerate([LINE] if lines is None else lines):
        data |= {f"eq-{i}-{k}": v for k, v in (LINE | line).items()}
    return data
