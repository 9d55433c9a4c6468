"""The declaration form's input → the services' data (money typed in 万元, kept in yuan), and a
project back to the form's text. Only conversion happens here: what a value must be is checked by
the models and ``equipment.rules`` through the services."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from renewal.lib import units
from renewal.registry import reference

from .services import LINE_FIELDS, line_key

MONEY = ("total_investment", "equipment_investment", "first_set_purchase")
COUNTS = ("new_robots", "new_cnc")
CHECKS = ("provincial_key", "new_land")
DATES = ("start_date", "end_date")
LABELS = {
    "code": "项目编号",
    "name": "项目名称",
    "year": "年度",
    "types": "项目类型",
    "total_investment": "总投资",
    "equipment_investment": "设备投资",
    "first_set_purchase": "首台套购置额",
    "new_robots": "新增工业机器人",
    "new_cnc": "新增数控机床",
    "energy_saving": "节能量",
    "start_date": "开工日期",
    "end_date": "竣工日期",
}
LINE_MONEY = ("unit_price", "lease_fee")
LINE_LABELS = {"unit_price": "单价", "lease_fee": "租赁费", "quantity": "数量", "acquired_on": "购置日期"}
# what makes a row of the table a line (a row left blank is ignored)
LINE_CONTENT = ("name", "spec", "unit_price", "lease_fee", "supplier", "invoice_no")


def _text(post, name: str) -> str:
    return (post.get(name) or "").strip()


def _number(text: str) -> Decimal | None:
    return units.decimal(text.replace(",", "").replace("，", "").replace(" ", "")) if text else None


def _yuan(text: str) -> Decimal | None:
    """万元 text → yuan (two decimals); None when blank; ValueError when not a number."""
    if not text:
        return None
    v = _number(text)
    if v is None or not v.is_finite():
        raise ValueError
    return (v * units.WAN).quantize(Decimal("0.01"))


def _wan_text(yuan) -> str:
    """Yuan → the 万元 text of an input (no thousands separators, no trailing zeros)."""
    v = units.decimal(yuan)
    return "" if v is None else units.plain(v / units.WAN).replace(",", "")


def _date(text: str) -> dt.date | None:
    return dt.date.fromisoformat(text) if text else None


def blank_project(today: dt.date) -> dict:
    return {
        "code": "",
        "name": "",
        "year": str(today.year),
        "types": [],
        "total_investment": "",
        "equipment_investment": "",
        "first_set_purchase": "",
        "new_robots": "0",
        "new_cnc": "0",
        "energy_saving": "0",
        "start_date": "",
        "end_date": "",
        "provincial_key": False,
        "new_land": False,
    }


def project_text(project) -> dict:
    """A saved project as the form shows it (万元)."""
    return {
        "code": project.code,
        "name": project.name,
        "year": str(project.year),
        "types": project.type_list,
        **{f: _wan_text(getattr(project, f)) for f in MONEY},
        **{f: str(getattr(project, f)) for f in COUNTS},
        "energy_saving": units.plain(project.energy_saving).replace(",", ""),
        **{f: getattr(project, f).isoformat() if getattr(project, f) else "" for f in DATES},
        **{f: getattr(project, f) for f in CHECKS},
    }


def project_from_post(post) -> tuple[dict, dict, dict[str, str]]:
    """(the form's text to show again, the project's data for the services, field → error)."""
    text = {f: _text(post, f) for f in ("code", "name", "year", *MONEY, *COUNTS, "energy_saving", *DATES)}
    text["types"] = [t for t in post.getlist("types") if t]
    text |= {f: f in post for f in CHECKS}
    errors: dict[str, str] = {}
    data: dict = {"name": text["name"], "types": text["types"], **{f: text[f] for f in CHECKS}}
    if text["code"]:
        data["code"] = text["code"]
    if not text["year"].isdigit():
        errors["year"] = "年度：请填写四位数的年度"
    else:
        data["year"] = int(text["year"])
    for f in MONEY:
        try:
            data[f] = _yuan(text[f]) or Decimal(0)
        except ValueError:
            errors[f] = f"{LABELS[f]}：应为数字（万元），实为“{text[f]}”"
    for f in COUNTS:
        if text[f] and not text[f].isdigit():
            errors[f] = f"{LABELS[f]}：应为不小于0的整数（台），实为“{text[f]}”"
        else:
            data[f] = int(text[f] or 0)
    energy = _number(text["energy_saving"]) if text["energy_saving"] else Decimal(0)
    if energy is None:
        errors["energy_saving"] = f"节能量：应为数字（吨标准煤），实为“{text['energy_saving']}”"
    else:
        data["energy_saving"] = energy
    for f in DATES:
        try:
            data[f] = _date(text[f])
        except ValueError:
            errors[f] = f"{LABELS[f]}：应为日期（年-月-日），实为“{text[f]}”"
    return text, data, errors


def blank_line() -> dict:
    return {
        "name": "",
        "spec": "",
        "category": reference.values("equipment_categories")[0],
        "acquisition": "购置",
        "unit_price": "",
        "quantity": "1",
        "lease_fee": "",
        "origin": "国产",
        "first_set_level": "无",
        "first_set_product": "",
        "supplier": "",
        "invoice_no": "",
        "acquired_on": "",
        "depreciation_class": "机器设备",
    }


def line_text(line) -> dict:
    out = {f: getattr(line, f) or "" for f in LINE_FIELDS}
    out |= {f: _wan_text(getattr(line, f)) for f in LINE_MONEY}
    out["quantity"] = "" if line.quantity is None else str(line.quantity)
    out["acquired_on"] = line.acquired_on.isoformat() if line.acquired_on else ""
    return out


def lines_from_post(post) -> tuple[list[dict], list[dict], dict[str, str]]:
    """The rows ``eq-<i>-<field>`` of the table (blank ones dropped): (their text to show again,
    the lines for the services, line key → error). Line N of the result is row N shown again."""
    rows = []
    for i in range(500):
        if f"eq-{i}-name" not in post:
            break
        row = {f: _text(post, f"eq-{i}-{f}") for f in LINE_FIELDS}
        if any(row[f] for f in LINE_CONTENT):
            rows.append(row)
    lines, errors = [], {}
    for n, row in enumerate(rows, start=1):
        line: dict = {f: row[f] for f in LINE_FIELDS if f not in (*LINE_MONEY, "quantity", "acquired_on")}
        line["number"] = n
        for f in LINE_MONEY:
            try:
                line[f] = _yuan(row[f])
            except ValueError:
                line[f] = None
                errors[line_key(n, f)] = f"第{n}行·{LINE_LABELS[f]}：应为数字（万元），实为“{row[f]}”"
        q = row["quantity"]
        line["quantity"] = int(q) if q.isdigit() else None
        if q and not q.isdigit():
            errors[line_key(n, "quantity")] = f"第{n}行·数量：应为不小于1的整数，实为“{q}”"
        try:
            line["acquired_on"] = _date(row["acquired_on"])
        except ValueError:
            line["acquired_on"] = None
            errors[line_key(n, "acquired_on")] = (
                f"第{n}行·购置日期：应为日期（年-月-日），实为“{row['acquired_on']}”"
            )
        if line["acquisition"] == "租赁":  # a lease has no price and quantity of its own
            line["unit_price"], line["quantity"] = None, None
        lines.append(line)
    return rows, lines, errors


def uploads_from_request(request) -> list[tuple[str, object]]:
    """(kind, file) of each file input ``file-<kind index>`` (several files each)."""
    out = []
    for i, kind in enumerate(reference.values("attachment_kinds")):
        out += [(kind, f) for f in request.FILES.getlist(f"file-{i}")]
    return out
