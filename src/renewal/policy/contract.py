"""The request of ``POST /api/v1/policy/calculate`` and ``renewal calc CASE.json`` (one JSON shape).

Validated with pydantic; every error is turned into a Chinese message that names the field, e.g.
``equipment[1].unit_price（设备第2行·单价）：不能为负数，实为 -5``; what a row needs for its
acquisition is required (missing is an error, not a zero). See ``README.md`` beside this file.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from decimal import Decimal
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator
from pydantic_core import PydanticCustomError

from .parameters import LEVEL_ALIASES, LEVELS

Money = Annotated[Decimal, Field(ge=0, max_digits=20, decimal_places=2)]
Ratio = Annotated[Decimal, Field(ge=0, le=1)]

# Equipment categories: the depreciation class (企业所得税法实施条例 第六十条) and whether the item is
# catalogue special equipment (P13: 节能节水、环境保护、安全生产专用设备).
CATEGORIES = {
    "general": ("machinery", False),
    "machinery": ("machinery", False),
    "tools": ("tools", False),
    "vehicles": ("vehicles", False),
    "electronics": ("electronics", False),
    "energy_saving": ("machinery", True),
    "water_saving": ("machinery", True),
    "environmental": ("machinery", True),
    "safety": ("machinery", True),
}
CATEGORY_LABELS = {
    "general": "生产设备（通用）",
    "machinery": "机器、机械和其他生产设备",
    "tools": "器具、工具、家具",
    "vehicles": "运输工具",
    "electronics": "电子设备",
    "energy_saving": "节能节水专用设备（目录内）",
    "water_saving": "节水专用设备（目录内）",
    "environmental": "环境保护专用设备（目录内）",
    "safety": "安全生产专用设备（目录内）",
}
Category = Literal[
    "general",
    "machinery",
    "tools",
    "vehicles",
    "electronics",
    "energy_saving",
    "water_saving",
    "environmental",
    "safety",
]
DepreciationClass = Literal["machinery", "tools", "vehicles", "electronics"]
DEPRECIATION_LABELS = {
    "machinery": "机器、机械和其他生产设备",
    "tools": "器具、工具、家具",
    "vehicles": "运输工具",
    "electronics": "电子设备",
}


def item_class(item) -> str:
    """The depreciation class of an item (a parsed ``EquipmentIn`` or its mapping): its stated
    折旧类别, else its category's."""
    stated = item.get("depreciation_class") if isinstance(item, dict) else item.depreciation_class
    category = item["category"] if isinstance(item, dict) else item.category
    return stated or CATEGORIES[category][0]


ProgrammeLevel = Literal["国家级", "省级", "市级", "县级", "国家", "省", "市", "区县", "县"]
ACQUISITION_LABELS = {"purchase": "购置", "lease": "租赁"}
BASE_LABELS = {
    "eligible_equipment_investment": "设备投资额（含首台套加计）",
    "total_investment": "项目总投资",
}
# What an item must state for its acquisition (issue 13): a missing amount or date is an error, never
# read as 0 or as the request's date. A lease needs no unit price (it counts at its lease fee) and no
# acquisition date (it is never expensed).
REQUIRED_BY_ACQUISITION = {"purchase": ("unit_price", "acquired_on"), "lease": ("lease_fee",)}


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


class EnterpriseIn(Strict):
    uscc: str = ""
    cit_rate: Ratio | None = None  # None: 25 %, or 15 % for a high-tech enterprise (P13.cit_rate)
    high_tech: bool = False
    ic_enterprise: bool = False
    machine_tool_enterprise: bool = False
    rd_expense: Money = Decimal(0)


class ProjectIn(Strict):
    code: str = ""
    types: list[str] = []
    provincial_key: bool = False
    total_investment: Money = Decimal(0)
    area: str = ""


class EquipmentIn(Strict):
    name: str = ""
    acquisition: Literal["purchase", "lease"] = "purchase"
    unit_price: Money | None = None  # required for a purchase
    quantity: Annotated[int, Field(ge=1, le=1_000_000)] = 1
    lease_fee: Money | None = None  # required for a lease
    first_set: str | None = None
    acquired_on: dt.date | None = None  # required for a purchase
    category: Category = "general"
    # 折旧类别 of the line when it is stated (设备清单); otherwise the category's class
    depreciation_class: DepreciationClass | None = None

    @field_validator("quantity", mode="before")
    @classmethod
    def _whole_number(cls, v):
        # pydantic would read true as 1
        if isinstance(v, bool):
            raise PydanticCustomError("int_type", "Input should be a valid integer")
        return v

    @model_validator(mode="after")
    def _required_by_acquisition(self) -> EquipmentIn:
        missing = [f for f in REQUIRED_BY_ACQUISITION[self.acquisition] if getattr(self, f) is None]
        if missing:
            # ``parse_request`` reports one error per field, located at the field.
            raise PydanticCustomError(
                "missing_for_acquisition",
                "{acquisition} needs {fields}",
                {"acquisition": self.acquisition, "fields": ",".join(missing)},
            )
        return self

    @field_validator("first_set")
    @classmethod
    def _level(cls, v: str | None) -> str | None:
        if v in (None, "", "无"):
            return None
        v = LEVEL_ALIASES.get(v, v)
        if v not in LEVELS:
            raise ValueError(f"首台（套）级别应为 {'、'.join(LEVELS)} 之一或 null，实为 {_shown(v)}")
        return v


class ProgrammeIn(Strict):
    id: Annotated[str, Field(min_length=1, max_length=60)]
    name: Annotated[str, Field(min_length=1, max_length=200)]
    level: ProgrammeLevel
    base: Literal["eligible_equipment_investment", "total_investment"]
    rate: Ratio
    cap: Money | None = None
    min_investment: Money = Decimal(0)
    project_types: list[str] = []
    provincial_key: bool | None = None
    areas: list[str] = []
    valid_from: dt.date | None = None
    valid_to: dt.date | None = None


class CalculateIn(Strict):
    date: dt.date
    enterprise: EnterpriseIn = EnterpriseIn()
    project: ProjectIn = ProjectIn()
    equipment: Annotated[list[EquipmentIn], Field(max_length=500)] = []
    programmes: list[ProgrammeIn] | None = None

    @model_validator(mode="after")
    def _unique_programmes(self) -> CalculateIn:
        if self.programmes:
            ids = [p.id for p in self.programmes]
            dupes = sorted({i for i in ids if ids.count(i) > 1})
            if dupes:
                raise ValueError(f"programmes：补助政策标识重复 {'、'.join(dupes)}")
        return self


# ---- Chinese error messages -------------------------------------------------------------------

FIELD_LABELS = {
    "date": "计算日期",
    "enterprise": "企业",
    "uscc": "统一社会信用代码",
    "cit_rate": "企业所得税税率",
    "high_tech": "高新技术企业",
    "ic_enterprise": "集成电路企业",
    "machine_tool_enterprise": "工业母机企业",
    "rd_expense": "费用化研发支出",
    "project": "项目",
    "code": "项目编号",
    "types": "项目类型",
    "provincial_key": "省级重点技改",
    "total_investment": "总投资",
    "area": "所属区域",
    "equipment": "设备",
    "name": "名称",
    "acquisition": "取得方式",
    "unit_price": "单价",
    "quantity": "数量",
    "lease_fee": "租赁费",
    "first_set": "首台（套）级别",
    "acquired_on": "购置日期",
    "category": "设备类别",
    "depreciation_class": "折旧类别",
    "programmes": "补助政策",
    "id": "政策标识",
    "level": "政策级别",
    "base": "计算基数",
    "rate": "补助比例",
    "cap": "单项上限",
    "min_investment": "最低投资额",
    "project_types": "适用项目类型",
    "areas": "适用区域",
    "valid_from": "生效日期",
    "valid_to": "失效日期",
}
_MESSAGES = {
    "missing": "缺少必填字段",
    "extra_forbidden": "未知字段（拼写错误？）",
    "int_parsing": "应为整数",
    "int_parsing_size": "数字过大",
    "int_type": "应为整数",
    "int_from_float": "应为整数",
    "decimal_parsing": "应为数字",
    "decimal_type": "应为数字",
    "decimal_max_digits": "数字位数过多",
    "decimal_max_places": "最多两位小数",
    "decimal_whole_digits": "数字位数过多",
    "date_from_datetime_parsing": "应为日期（YYYY-MM-DD）",
    "date_from_datetime_inexact": "应为日期（YYYY-MM-DD）",
    "date_parsing": "应为日期（YYYY-MM-DD）",
    "date_type": "应为日期（YYYY-MM-DD）",
    "string_type": "应为文本",
    "string_unicode": "应为文本",
    "list_type": "应为列表",
    "bool_type": "应为 true/false",
    "bool_parsing": "应为 true/false",
    "literal_error": "取值不在允许范围内",
    "model_type": "应为对象（{…}）",
    "model_attributes_type": "应为对象（{…}）",
    "dict_type": "应为对象（{…}）",
    "greater_than_equal": "不能为负数",
    "less_than_equal": "超出上限",
    "too_short": "不能为空",
    "too_long": "条目过多",
    "string_too_short": "不能为空",
    "string_too_long": "过长",
    "finite_number": "应为有限数字",
}
# The allowed values of each enumerated field, with what they mean (the codes are what the JSON takes).
CHOICES = {
    "acquisition": ACQUISITION_LABELS,
    "category": CATEGORY_LABELS,
    "depreciation_class": DEPRECIATION_LABELS,
    "base": BASE_LABELS,
}
# A quantity is a count of machines: one message for whatever is wrong with it (P11: price × quantity).
_QUANTITY = "应为不小于 1 的整数（台/套数）"
_QUANTITY_TYPES = {"int_parsing", "int_type", "int_from_float", "greater_than_equal", "int_parsing_size"}
_MISSING_FOR = {
    ("purchase", "unit_price"): "购置设备须填写单价（元），未填写不按 0 计算",
    ("purchase", "acquired_on"): "购置设备须填写购置日期（YYYY-MM-DD），一次性税前扣除按购置日期判断",
    ("lease", "lease_fee"): "租赁设备须填写租赁费（元），未填写不按 0 计算",
}


def _path(loc: tuple) -> tuple[str, str]:
    """('equipment', 1, 'unit_price') → ('equipment[1].unit_price', '设备第2行·单价')."""
    path, label = "", []
    for part in loc:
        if isinstance(part, int):
            path += f"[{part}]"
            if label:
                label[-1] += f"第{part + 1}{'行' if label[-1] == '设备' else '项'}"
            continue
        if str(part).startswith(("function-", "constrained-")) or "[" in str(part):
            continue
        path += f".{part}" if path else str(part)
        label.append(FIELD_LABELS.get(str(part), str(part)))
    return path or "(请求)", "·".join(label) or "请求"


def _allowed(field: str, expected: str) -> str:
    """The allowed values of a literal, in Chinese: 'purchase=购置 / lease=租赁' (not pydantic's
    "'purchase' or 'lease'"). " / " because the labels themselves contain 、."""
    labels = CHOICES.get(field)
    if labels:
        return " / ".join(f"{code}={label}" for code, label in labels.items())
    return " / ".join(re.findall(r"'([^']*)'", expected)) or expected


def _message(err: dict) -> str:
    kind = err["type"]
    if kind == "value_error":
        return str(err["msg"]).removeprefix("Value error, ")
    ctx = err.get("ctx") or {}
    field = next((str(p) for p in reversed(err["loc"]) if isinstance(p, str)), "")
    if field == "quantity" and kind in _QUANTITY_TYPES:
        msg = _QUANTITY
    else:
        # Never pydantic's English text: an unforeseen kind of error still reads in Chinese.
        msg = _MESSAGES.get(kind, "取值无效")
    if kind == "literal_error":
        msg += f"（可选：{_allowed(field, str(ctx.get('expected', '')))}）"
    elif kind == "less_than_equal":
        msg += f"（不能大于 {ctx.get('le')}）"
    elif kind in ("too_long", "string_too_long"):
        msg += f"（最多 {ctx.get('max_length')} {'项' if kind == 'too_long' else '个字符'}）"
    elif kind == "decimal_max_digits":
        msg += f"（最多 {ctx.get('max_digits')} 位）"
    elif kind == "decimal_whole_digits":
        msg += f"（整数部分最多 {ctx.get('whole_digits')} 位）"
    elif kind == "greater_than_equal" and msg != _QUANTITY and str(ctx.get("ge")) not in ("0", "0.0"):
        msg = f"不能小于 {ctx.get('ge')}"
    if "input" in err and kind not in {"missing", "extra_forbidden", "model_type", "model_attributes_type"}:
        msg += f"，实为 {_shown(err['input'])}"
    return msg


def _shown(value) -> str:
    """The value as the JSON of the request writes it (true, "x"), cut short."""
    text = json.dumps(value, ensure_ascii=False, default=str)
    return text if len(text) <= 60 else text[:59] + "…"


def _errors(err: dict) -> list[dict]:
    """One pydantic error as the contract's error items (one per field it names)."""
    if err["type"] == "missing_for_acquisition":
        acquisition = err["ctx"]["acquisition"]
        out = []
        for name in err["ctx"]["fields"].split(","):
            field, label = _path((*err["loc"], name))
            out.append({"field": field, "label": label, "message": _MISSING_FOR[acquisition, name]})
        return out
    field, label = _path(err["loc"])
    return [{"field": field, "label": label, "message": _message(err)}]


class RequestError(ValueError):
    """An invalid request: ``errors`` are ``{"field", "label", "message"}`` items, in Chinese."""

    def __init__(self, errors: list[dict]):
        self.errors = errors
        super().__init__("；".join(_line(e) for e in errors))


def _line(e: dict) -> str:
    if e["field"] == "(请求)":  # the request as a whole: no field to name
        return e["message"]
    return f"{e['field']}（{e['label']}）：{e['message']}"


def parse_request(data: object) -> CalculateIn:
    if not isinstance(data, dict):
        raise RequestError([{"field": "(请求)", "label": "请求", "message": "请求体应为 JSON 对象（{…}）"}])
    try:
        return CalculateIn.model_validate(data)
    except ValidationError as exc:
        raise RequestError([item for err in exc.errors() for item in _errors(err)]) from None
