"""The review form: a draft shown as editable rows, and the posted rows parsed back into a draft.

Field names are ``<section>-<index>-<field>``. Every bad value gives a Chinese message naming the
row and the field; the draft is not changed when there is one."""

from __future__ import annotations

import copy
import re
from decimal import Decimal, InvalidOperation

from django import forms

from renewal.planning import schema

UNIT_CHOICES = list(schema.UNIT_LABELS.items())
PARAM_UNITS = ["CNY", "ratio", "tce", "count", "years", "level"]
COMPARATORS = list(schema.COMPARATOR_LABELS)
AREA_KINDS = {"district": "区", "county": "县", "city": "市", "zone": "功能区"}


class UploadForm(forms.Form):
    document = forms.FileField(label="政策文件（.txt、.docx 或有文字层的 .pdf）")


def period_text(period: dict | None) -> str:
    if not period:
        return ""
    if "year" in period:
        return str(period["year"])
    if "each_year" in period:
        return f"每年 {period['each_year']}"
    if "cumulative" in period:
        return f"累计 {period['cumulative']}"
    return f"到 {period['by']}"


def parse_period(text: str) -> dict:
    text = text.strip()
    if m := re.fullmatch(r"(\d{4})", text):
        return {"year": int(m.group(1))}
    if m := re.fullmatch(r"每年\s*(\d{4}-\d{4})", text):
        return {"each_year": m.group(1)}
    if m := re.fullmatch(r"累计\s*(\d{4}-\d{2}\.\.\d{4}-\d{2})", text):
        return {"cumulative": m.group(1)}
    if m := re.fullmatch(r"到\s*(\d{4})", text):
        return {"by": int(m.group(1))}
    raise ValueError("期间应写成 2024、每年 2024-2027、累计 2024-01..2027-12 或 到 2027")


def source_text(source: dict | None) -> str:
    if not source:
        return ""
    kind = "registry" if "registry" in source else "statistics"
    text = f"{kind}:{source.get(kind, '')}"
    return text + (f"/{source['denominator']}" if source.get("denominator") else "")


def parse_source(text: str) -> dict:
    m = re.fullmatch(r"(registry|statistics):([a-z0-9_]+)(?:/([a-z0-9_]+))?", text.strip())
    if not m:
        raise ValueError("数据来源应写成 registry:指标代码 或 statistics:统计代码[/分母代码]")
    out = {m.group(1): m.group(2)}
    if m.group(3):
        out["denominator"] = m.group(3)
    return out


def parse_number(text: str) -> int | float:
    try:
        value = Decimal(text.strip().replace(",", ""))
    except InvalidOperation:
        raise ValueError("应为数字（基本单位：元、个、吨标准煤，比例写小数）") from None
    return int(value) if value == value.to_integral_value() else float(value)


def apply_post(draft: dict, post) -> tuple[dict, list[str]]:
    """The draft with the posted edits applied, and the problems (row and field named)."""
    d = copy.deepcopy(draft)
    errors: list[str] = []

    def get(name: str, default: str = "") -> str:
        return str(post.get(name, default)).strip()

    def field(label: str, fn, name: str):
        try:
            return fn(get(name))
        except ValueError as exc:
            errors.append(f"{label}：{exc}")
            return None

    d["id"] = get("plan-id")
    d["city"] = {"code": get("plan-city_code"), "name": get("plan-city_name")}
    for key in ("title", "number", "issuer", "issued_on"):
        d["document"][key] = get(f"plan-{key}")
    for key in ("start_year", "end_year"):
        value = field(f"方案：{'起始' if key == 'start_year' else '结束'}年份", int, f"plan-{key}")
        if value is not None:
            d[key] = value

    for i, a in enumerate(d["areas"]):
        for key in ("code", "name", "short_name", "kind"):
            a[key] = get(f"area-{i}-{key}", a.get(key, ""))
        a["rejected"] = bool(post.get(f"area-{i}-rejected"))
    for n, line in enumerate(get("new-areas").splitlines(), 1):
        parts = line.split()
        if not parts:
            continue
        if len(parts) != 4 or parts[3] not in AREA_KINDS:
            errors.append(f"补充区域第 {n} 行：应为“代码 名称 简称 类型”四项，类型为 {'/'.join(AREA_KINDS)}")
            continue
        d["areas"].append(
            {
                "code": parts[0],
                "name": parts[1],
                "short_name": parts[2],
                "kind": parts[3],
                "source_text": "（人工补充）",
                "position": None,
                "confidence": 1.0,
                "notes": ["人工补充"],
            }
        )

    renamed_units = {}
    for i, u in enumerate(d["units"]):
        new = get(f"unit-{i}-id", u["id"])
        renamed_units[u["id"]] = new
        u["id"], u["name"] = new, get(f"unit-{i}-name", u["name"])
        u["rejected"] = bool(post.get(f"unit-{i}-rejected"))
    renamed = {}
    for i, c in enumerate(d["clauses"]):
        new = get(f"clause-{i}-id", c["id"])
        renamed[c["id"]] = new
        c["id"], c["title"] = new, get(f"clause-{i}-title", c["title"])
        leads = [x for x in re.split(r"[,，、\s]+", get(f"clause-{i}-lead_units")) if x]
        c["lead_units"] = [renamed_units.get(x, x) for x in leads]
        c["rejected"] = bool(post.get(f"clause-{i}-rejected"))

    for section, prefix in (("targets", "target"), ("parameters", "param")):
        for i, item in enumerate(d[section]):
            label = f"{'目标' if section == 'targets' else '参数'}第 {i + 1} 行（{item['id']}）"
            item["id"] = get(f"{prefix}-{i}-id", item["id"])
            clause = get(f"{prefix}-{i}-clause", item["clause"])
            item["clause"] = renamed.get(clause, clause) if clause == item["clause"] else clause
            item["rejected"] = bool(post.get(f"{prefix}-{i}-rejected"))
            if section == "targets":
                item["name"] = get(f"{prefix}-{i}-name", item["name"])
                item["comparator"] = get(f"{prefix}-{i}-comparator", item["comparator"])
                item["unit"] = get(f"{prefix}-{i}-unit", item["unit"])
                item["display"] = get(f"{prefix}-{i}-display", item["display"])
                if item.get("kind") != "relative":
                    value = field(f"{label} 目标值", parse_number, f"{prefix}-{i}-value")
                    item["value"] = value if value is not None else item["value"]
                period = field(f"{label} 期间", parse_period, f"{prefix}-{i}-period")
                item["period"] = period or item["period"]
                source = field(f"{label} 数据来源", parse_source, f"{prefix}-{i}-source")
                item["source"] = source or item["source"]
            else:
                item["description"] = get(f"{prefix}-{i}-description", item["description"])
                item["unit"] = get(f"{prefix}-{i}-unit", item["unit"])
                value = field(f"{label} 取值", parse_number, f"{prefix}-{i}-value")
                if value is not None:
                    item["values"][-1]["value"] = value
    return d, errors
