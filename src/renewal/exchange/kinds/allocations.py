"""资金下达: subsidy funds allocated to one project (P11, T8's provincial-subsidised projects), keyed
by 项目编号 + 资金级别 + 年度 + 文号.

A row becomes a ``Fund`` that names its project, in the project's area, with the amount in yuan.
An area operator allocates only to its area's projects; a project of another area gets the same
message as an unknown code, so the import tells nobody which codes exist elsewhere.
"""

from __future__ import annotations

from renewal.registry import models as R
from renewal.registry import reference
from renewal.registry import selectors as registry

from ..spec import AMOUNT_LIMIT, CODE, DATE, ENUM, TEXT, WAN, YEAR, Column, ListPage, RowError, Sheet
from ._common import DELETED, unknown_key

DEFAULT_PURPOSE = "设备更新项目补助"
NATURAL = ("project_id", "level", "year", "document_no")


def unknown(code: str) -> str:
    return unknown_key(f"项目 {code}", "项目")


def check(imp, spec: Sheet, v: dict) -> None:
    if imp.plan_years is None:
        raise RowError(spec.column("year"), "尚未载入行动方案，无法校验年度")
    start, end = imp.plan_years
    if not start <= v["year"] <= end:
        raise RowError(spec.column("year"), f"年度 {v['year']} 不在行动方案的年度范围内（{start}–{end}）")
    if v["amount"] <= 0:
        raise RowError(spec.column("amount"), "金额应大于 0")
    if v.get("granted_on") and v["granted_on"] > imp.today:
        raise RowError(spec.column("granted_on"), "下达日期不能晚于今天")
    area = imp.file_projects.get(v["code"])
    if area is None and v["code"] in imp.file_project_rows:
        raise RowError(spec.column("code"), f"项目 {v['code']} 在本文件“项目”表中的行有错误，请先更正")
    v["area"] = area  # None: looked up in the database with the batch


def _refusal(imp, v: dict, known) -> str | None:
    """Why the row may not name its project (unknown, out of scope, deleted), or None. ``known``:
    (id, area, deleted) of the project in the database, or None."""
    live = known is not None and not known[2]
    areas = {a for a in (v["area"], known[1] if live else None) if a}
    if areas and all(imp.in_scope(a) for a in areas):
        return None
    if known is not None and known[2] and v["area"] is None and imp.in_scope(known[1]):
        return DELETED.format(what=f"项目 {v['code']}")
    return unknown(v["code"])  # also for another area's project: no oracle of existence


def write(imp, data, rows, sheet_report, positions) -> None:
    spec = data.spec
    known = {
        code: (pk, area, deleted)
        for code, pk, area, deleted in R.Project.all_objects.filter(
            code__in={v["code"] for _, v in rows}
        ).values_list("code", "id", "area_id", "is_deleted")
    }
    kept = []
    for number, v in rows:
        project = known.get(v["code"])
        refusal = _refusal(imp, v, project)
        if refusal is not None:
            imp.row_error(data, number, spec.column("code"), positions, refusal)
            continue
        live = project is not None and not project[2]
        v["project_id"] = project[0] if live else None  # a project of this file in a dry run
        v["area"] = project[1] if live else v["area"]
        kept.append((number, v))
    ids = {v["project_id"] for _, v in kept} - {None}
    existing, deleted = {}, {}
    for fund in R.Fund.all_objects.filter(project_id__in=ids):
        (deleted if fund.is_deleted else existing)[tuple(getattr(fund, f) for f in NATURAL)] = fund
    rows = []
    for number, v in kept:
        v["key"] = (v["project_id"], v["level"], v["year"], v["document_no"])
        if v["key"] in deleted:
            what = f"项目 {v['code']} 的资金下达（{v['level']} {v['year']} {v['document_no']}）"
            imp.row_error(data, number, spec.column("document_no"), positions, DELETED.format(what=what))
        else:
            rows.append((number, v))
    # 用途 and 下达日期 were added to the sheet later: a file without the column keeps what the
    # record holds (a new record: the default purpose, no date)
    has_purpose, has_date = "purpose" in positions, "granted_on" in positions

    def build(v: dict) -> dict:
        current = existing.get(v["key"])
        purpose = v.get("purpose") if has_purpose else current.purpose if current else None
        return {
            "project_id": v["project_id"],
            "level": v["level"],
            "year": v["year"],
            "document_no": v["document_no"],
            "amount": v["amount"],
            "area_id": v["area"],
            "purpose": purpose or DEFAULT_PURPOSE,
            "granted_on": v.get("granted_on") if has_date else current.granted_on if current else None,
        }

    imp.upsert(R.Fund, rows, existing.values(), build, sheet_report, NATURAL)


def list_context(scope, query: str) -> dict:
    return {"levels": reference.values("fund_levels")}


SPEC = Sheet(
    kind="allocations",
    name="资金下达",
    label="资金下达",
    key=("code", "level", "year", "document_no"),
    order=50,
    model=R.Fund,
    columns=(
        Column(
            "项目编号",
            "code",
            CODE,
            True,
            comment="资金下达到的项目；项目须已登记或在本文件“项目”表中",
            example="示例-2024-001",
            width=16,
        ),
        Column("资金级别", "level", ENUM, True, enum="fund_levels", example="省级", width=10),
        Column(
            "年度", "year", YEAR, True, comment="资金年度，须在行动方案的年度范围内", example=2024, width=8
        ),
        Column(
            "金额(万元)",
            "amount",
            WAN,
            True,
            comment="单位：万元（导入后按元保存）；大于 0",
            example=50,
            warn_above=AMOUNT_LIMIT,
        ),
        Column(
            "文号",
            "document_no",
            TEXT,
            True,
            comment="资金下达文件的文号",
            example="示例财企〔2024〕1号（示例行）",
            width=26,
        ),
        Column(
            "下达日期",
            "granted_on",
            DATE,
            comment="日期，如 2024-06-30；可空；不晚于今天",
            example="2024-06-30",
            width=12,
            may_be_absent=True,
        ),
        Column(
            "用途",
            "purpose",
            TEXT,
            comment=f"可空，默认“{DEFAULT_PURPOSE}”",
            example=DEFAULT_PURPOSE,
            width=20,
            may_be_absent=True,
        ),
    ),
    check=check,
    write=write,
    getters={"code": lambda f: f.project.code},
    rows=registry.allocation_list,
    list_params={"area": "area", "year": "year", "level": "level", "q": "q"},
    list_page=ListPage("allocations/", "allocation_list", "registry/allocation_list.html", list_context),
    scope={"area": "area_id", "uscc": None},
)
