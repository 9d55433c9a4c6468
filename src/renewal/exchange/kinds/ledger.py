"""设备台账: the machines an enterprise has (issue 14), keyed by 统一社会信用代码 + 设备编号.

The ledger is what T9 matches against the elimination catalogue (``equipment.rules.matches``): a
machine 在用/停用 whose 设备类别 and 规格型号 match an entry in force is a candidate for renewal; one
已淘汰 on its 淘汰日期 and replaced by a counted project (替换项目编号) is renewed
(docs/decisions/0016-elimination-matching.md). A row's values follow ``rules.ledger_problems``; its
enterprise is in the importer's scope; its replacement project is one of the same enterprise. A
project the importer may not see reads as unknown, so the import tells nobody which codes exist
elsewhere.
"""

from __future__ import annotations

from renewal.equipment import rules
from renewal.equipment import selectors as equipment
from renewal.equipment.models import LedgerItem
from renewal.registry import models as R
from renewal.registry import reference

from ..spec import AMOUNT_LIMIT, CODE, DATE, DECIMAL, ENUM, INT, TEXT, WAN, Column, ListPage, RowError, Sheet
from ._common import DELETED, OWNER, _not_deleted, owner_uscc, unknown_key

NATURAL = ("enterprise_id", "number")
TEXTS = ("spec", "efficiency_grade")  # blank cells store ''


def unknown(code: str) -> str:
    return unknown_key(f"项目 {code}", "项目")


def not_own(code: str, uscc: str) -> str:
    return f"项目 {code} 不是企业 {uscc} 的项目（替换项目须为本企业的项目）"


def check(imp, spec: Sheet, v: dict) -> None:
    v["area"] = imp.owned_area(spec, v["uscc"])
    for field_name, message in rules.ledger_problems(v, today=imp.today).items():
        raise RowError(spec.column(field_name), message)
    code = v.get("replacement_code")
    if code and code not in imp.file_projects and code in imp.file_project_rows:
        raise RowError(spec.column("replacement_code"), f"项目 {code} 在本文件“项目”表中的行有错误，请先更正")


def _replacement(imp, v: dict, known) -> tuple[str | None, int | None]:
    """(refusal, project id) of the row's 替换项目编号. ``known``: (id, enterprise id, area, deleted)
    of the project in the database, or None."""
    code = v["replacement_code"]
    if known is not None and not known[3]:
        pk, enterprise_id, area, _ = known
        if not imp.in_scope(area):
            return unknown(code), None
        if enterprise_id != imp.enterprise_id(v["uscc"]):
            return not_own(code, v["uscc"]), None
        return None, pk
    area = imp.file_projects.get(code)
    if area is not None:
        # a new project of this file, not written yet (a dry run): its enterprise is checked when
        # the file is imported; here its area must at least be the enterprise's
        return (None, None) if area == v["area"] else (not_own(code, v["uscc"]), None)
    if known is not None and imp.in_scope(known[2]):
        return DELETED.format(what=f"项目 {code}"), None
    return unknown(code), None


def write(imp, data, rows, sheet_report, positions) -> None:
    spec = data.spec
    codes = {v["replacement_code"] for _, v in rows if v.get("replacement_code")}
    known = {
        code: (pk, enterprise_id, area, deleted)
        for code, pk, enterprise_id, area, deleted in R.Project.all_objects.filter(
            code__in=codes
        ).values_list("code", "id", "enterprise_id", "area_id", "is_deleted")
    }
    kept = []
    for number, v in rows:
        v["replacement_project_id"] = None
        if v.get("replacement_code"):
            refusal, pk = _replacement(imp, v, known.get(v["replacement_code"]))
            if refusal is not None:
                imp.row_error(data, number, spec.column("replacement_code"), positions, refusal)
                continue
            v["replacement_project_id"] = pk
        kept.append((number, v))
    ids = {imp.enterprise_id(v["uscc"]) for _, v in kept} - {None}
    kept = _not_deleted(imp, data, kept, positions, LedgerItem, ids, ("number",))
    imp.upsert(
        LedgerItem,
        kept,
        LedgerItem.objects.filter(enterprise_id__in=ids),
        lambda v: {
            "enterprise_id": imp.enterprise_id(v["uscc"]),
            "number": v["number"],
            "name": v["name"],
            "category": v["category"],
            "purchase_year": v.get("purchase_year"),
            "original_value": v.get("original_value"),
            "rated_power_kw": v.get("rated_power_kw"),
            "status": v["status"],
            "eliminated_on": v.get("eliminated_on"),
            "replacement_project_id": v["replacement_project_id"],
            **{f: v.get(f) or "" for f in TEXTS},
        },
        sheet_report,
        NATURAL,
    )


def list_context(scope, query: str) -> dict:
    return {
        "categories": reference.values("equipment_categories"),
        "statuses": reference.values("ledger_statuses"),
    }


SPEC = Sheet(
    kind="ledger",
    name="设备台账",
    label="设备台账",
    key=("uscc", "number"),
    order=47,  # after 企业 and 项目 (替换项目编号)
    model=LedgerItem,
    columns=(
        OWNER,
        Column(
            "设备编号",
            "number",
            CODE,
            True,
            comment="企业内部的设备编号（资产编号），同一企业内不重复",
            example="示例-SB-001",
            width=16,
        ),
        Column("设备名称", "name", TEXT, True, example="示例燃煤锅炉（示例行）", width=22),
        Column(
            "规格型号",
            "spec",
            TEXT,
            comment="与淘汰目录的型号前缀比对（不区分全角半角、大小写，忽略首尾空格）",
            example="DZL4-1.25",
            width=16,
        ),
        Column("设备类别", "category", ENUM, True, enum="equipment_categories", example="通用设备", width=16),
        Column(
            "购置年份",
            "purchase_year",
            INT,
            comment=f"四位年份，{rules.EARLIEST_PURCHASE_YEAR} 至今年；可空",
            example=2008,
            width=10,
        ),
        Column(
            "原值(万元)",
            "original_value",
            WAN,
            comment="单位：万元（导入后按元保存）；可空",
            example=35,
            warn_above=AMOUNT_LIMIT,
        ),
        Column("额定功率(kW)", "rated_power_kw", DECIMAL, comment="单位：kW；可空", example=2800, width=14),
        Column("能效等级", "efficiency_grade", TEXT, comment="如 3级；可空", example="3级", width=10),
        Column(
            "状态",
            "status",
            ENUM,
            True,
            enum="ledger_statuses",
            comment="在用 / 停用 / 已淘汰；已淘汰须填写淘汰日期",
            example="在用",
            width=8,
        ),
        Column(
            "淘汰日期",
            "eliminated_on",
            DATE,
            comment="如 2024-06-30；仅状态为“已淘汰”时填写（且必填）",
            width=12,
        ),
        Column(
            "替换项目编号",
            "replacement_code",
            CODE,
            comment="替换该设备的更新项目；须为本企业已登记或在本文件“项目”表中的项目；可空",
            width=16,
        ),
    ),
    check=check,
    write=write,
    getters={
        "uscc": owner_uscc,
        "replacement_code": lambda item: item.replacement_project.code if item.replacement_project else None,
    },
    rows=equipment.ledger_list,
    list_params={"area": "area", "category": "category", "status": "status", "q": "q"},
    list_page=ListPage("ledger/", "ledger_list", "equipment/ledger_list.html", list_context),
    scope={"area": "enterprise__area_id", "uscc": "enterprise__uscc"},
)
