"""项目: the equipment-renewal projects of the registry, keyed by 项目编号.

The 状态 column goes through the workflow (registry/workflow.py) like a page: a new project is
草稿, or 已申报 when the sheet asks for it and the role may declare; an existing project may move
one step along the table; a city administrator loading legacy data may set any state with its
状态日期. Every change of state writes one ``ProjectTransition``.
"""

from __future__ import annotations

from decimal import Decimal

from django.urls import reverse

from renewal.finance import rules as finance_rules
from renewal.finance.selectors_loans import bank_names
from renewal.registry import models as R
from renewal.registry import rules, spells, workflow
from renewal.registry import selectors as registry
from renewal.registry.services import project_may_edit

from ..bulk import ids_by, insert_rows, live_rows
from ..spec import (
    AMOUNT_LIMIT,
    BOOL,
    CODE,
    DATE,
    DECIMAL,
    ENUM,
    ENUMS,
    EXAMPLE_USCC,
    INT,
    TEXT,
    USCC,
    WAN,
    YEAR,
    YES_NO,
    Column,
    ListPage,
    RowError,
    Sheet,
)
from . import _loans
from ._common import DELETED

ZERO = Decimal(0)
FIELDS = ("code", "name", "year", "types", "total_investment", "start_date", "end_date")


def check(imp, spec: Sheet, v: dict) -> None:
    if v["code"] in imp.deleted_projects:
        raise RowError(spec.column("code"), DELETED.format(what=f"项目 {v['code']}"))
    v["area"] = imp.owned_area(spec, v["uscc"])
    for field_name, message in rules.project_problems(v).items():
        raise RowError(spec.column(field_name), message)
    if v.get("status_date") and v["status_date"] > imp.today:
        raise RowError(spec.column("status_date"), "状态日期不能晚于今天")
    if "intended_banks" in v:  # P12: names or codes of the plan file's banks, at most max_banks
        banks, problem = finance_rules.banks_parse(
            v["intended_banks"], _loans.banks(imp), _loans.max_banks(imp)
        )
        if problem:
            raise RowError(spec.column("intended_banks"), problem)
        v["intended_banks"] = banks


def seen(imp, v: dict, valid: bool) -> None:
    """Later sheets of the file (月度进度) refer to the projects of this one."""
    if v.get("code"):
        imp.file_project_rows.add(v["code"])
        if valid:
            imp.file_projects[v["code"]] = v["area"]
            imp.file_project_status[v["code"]] = v.get("status") or workflow.START
            # what the data checks of 月度进度 compare with (quality/rules.py), at preview as at commit
            imp.file_records.setdefault("project_figures", {})[v["code"]] = (
                v.get("total_investment") or ZERO,
                v.get("new_robots") or 0,
            )


def build(imp, v: dict) -> dict:
    return {
        **{f: v[f] for f in FIELDS},
        "enterprise_id": imp.enterprise_id(v["uscc"]),
        "area_id": v["area"],
        "provincial_key": v["provincial_key"] is True,
        "new_land": v["new_land"] is True,
        "equipment_investment": v["equipment_investment"] or ZERO,
        "first_set_purchase": v["first_set_purchase"] or ZERO,
        "new_robots": v["new_robots"] or 0,
        "new_cnc": v["new_cnc"] or 0,
        "energy_saving": v["energy_saving"] or ZERO,
        "status": v["status"],
        "loan_demand": v["loan_demand"] or ZERO,
        "intended_banks": v["intended_banks"] or [],
    }


def _refusal(imp, current, v: dict) -> tuple[str, str] | None:
    """(field, message) of a row the importer may not write, or None: scope, edit rights on an
    existing project, and its state through the workflow."""
    scope = imp.scope
    if current is not None:
        if not imp.in_scope(current.area_id):
            return "code", f"项目 {current.code} 无权操作（项目编号已被使用，请核对，或联系市级管理员）"
        attrs = build(imp, v)
        changed = any(getattr(current, f) != value for f, value in attrs.items() if f != "status")
        if changed and not project_may_edit(scope, current):
            return (
                "code",
                f"项目 {current.code} 当前状态为“{current.status}”，您（{scope.role_label}）无权修改",
            )
    legacy = bool(v.get("status_date")) and scope.is_city_admin
    problem = workflow.status_problem(
        current=current.status if current else None, target=v["status"], role=scope.role, legacy=legacy
    )
    return ("status", problem) if problem else None


def write(imp, data, rows, sheet_report, positions) -> None:
    spec = data.spec
    existing = {p.code: p for p in live_rows(R.Project, "code", [v["code"] for _, v in rows])}
    kept = []
    # 贷款需求 and 意向银行 were added later (P12): a file without the column keeps what the
    # project holds
    absent = [f for f in ("loan_demand", "intended_banks") if f not in positions]
    for number, v in rows:
        current = existing.get(v["code"])
        v["status"] = v["status"] or (current.status if current else workflow.START)
        for f in absent:
            v[f] = getattr(current, f) if current else None
        refusal = _refusal(imp, current, v)
        if refusal is not None:
            imp.row_error(data, number, spec.column(refusal[0]), positions, refusal[1])
        else:
            kept.append((number, v))
    imp.upsert(R.Project, kept, existing.values(), lambda v: build(imp, v), sheet_report, ("code",))
    steps = [
        (v, before["status"] if before else workflow.START)
        for _, v, _, before in imp.written
        if v["status"] != (before["status"] if before else workflow.START)
    ]
    if steps and imp.writing:
        _transitions(imp, steps)


def _transitions(imp, steps: list[tuple[dict, str]]) -> None:
    """One ``ProjectTransition`` per change of state: the workflow's action (申报, 开工 …) dated
    today, or 导入 dated the sheet's 状态日期 for a city administrator's legacy data."""
    ids = ids_by(R.Project, "code", [v["code"] for v, _ in steps])
    today = imp.today
    legacy_import = imp.scope.is_city_admin
    rows = []
    for v, source in steps:
        legacy = legacy_import and bool(v.get("status_date"))
        step = None if legacy else workflow.find(source, v["status"])
        rows.append(
            {
                "project_id": ids[v["code"]],
                "from_status": source,
                "to_status": v["status"],
                "action": step.action if step else workflow.LEGACY_ACTION,
                "effective_on": v["status_date"] if legacy else today,
            }
        )
    user_id = imp.user.pk if imp.user else None
    insert_rows(R.ProjectTransition, rows, fixed={"user_id": user_id, "comment": imp.reason})
    spells.refresh(ids.values())


def list_context(scope, query: str) -> dict:
    progress = reverse("exchange:export", args=["progress"])
    return {
        "statuses": workflow.STATES,
        "workflow": workflow.as_table(),
        "progress_url": f"{progress}?{query}" if query else progress,
    }


SPEC = Sheet(
    kind="projects",
    name="项目",
    label="项目",
    key=("code",),
    order=20,
    model=R.Project,
    columns=(
        Column(
            "项目编号", "code", CODE, True, comment="全市唯一的项目编号", example="示例-2024-001", width=16
        ),
        Column("项目名称", "name", TEXT, True, example="示例涂装线绿色化改造（示例行）", width=28),
        Column(
            "统一社会信用代码",
            "uscc",
            USCC,
            True,
            comment="项目单位的信用代码；企业须已登记或在本文件“企业”表中",
            example=EXAMPLE_USCC,
            width=22,
        ),
        Column("年度", "year", YEAR, True, comment="项目年度，如 2024", example=2024, width=8),
        Column(
            "项目类型",
            "types",
            ENUMS,
            True,
            enum="project_types",
            comment="一个或多个，以“、”或“,”分隔",
            example="绿色化改造、设备更新",
            width=22,
        ),
        Column("省级重点技改", "provincial_key", BOOL, comment=YES_NO, example="是", width=12),
        Column(
            "总投资(万元)",
            "total_investment",
            WAN,
            True,
            comment="单位：万元（导入后按元保存）",
            example=30000,
            warn_above=AMOUNT_LIMIT,
        ),
        Column(
            "设备投资(万元)",
            "equipment_investment",
            WAN,
            comment="单位：万元；不大于总投资",
            example=18000,
            warn_above=AMOUNT_LIMIT,
        ),
        Column(
            "首台套购置额(万元)",
            "first_set_purchase",
            WAN,
            comment="单位：万元；不大于设备投资",
            example=0,
            warn_above=AMOUNT_LIMIT,
            width=16,
        ),
        Column(
            "新增工业机器人(台)",
            "new_robots",
            INT,
            comment="单位：台",
            example=6,
            warn_above=Decimal(10_000),
            width=16,
        ),
        Column(
            "新增数控机床(台)",
            "new_cnc",
            INT,
            comment="单位：台",
            example=2,
            warn_above=Decimal(10_000),
            width=16,
        ),
        Column(
            "节能量(吨标准煤)",
            "energy_saving",
            DECIMAL,
            comment="单位：吨标准煤",
            example=950,
            warn_above=Decimal(1_000_000),
            width=16,
        ),
        Column("是否新增用地", "new_land", BOOL, comment=YES_NO, example="否", width=12),
        Column(
            "开工日期",
            "start_date",
            DATE,
            comment="日期，如 2024-01-05 或 2024/1/5",
            example="2024-01-05",
            width=12,
        ),
        Column(
            "竣工日期", "end_date", DATE, comment="日期；不早于开工日期；可空", example="2024-02-28", width=12
        ),
        Column(
            "状态",
            "status",
            ENUM,
            enum="project_statuses",
            comment=(
                "新项目：空（草稿）或“已申报”；已登记的项目：当前状态或流程的下一步（退回、撤销请在页面上操作）；"
                "市级管理员导入历史数据时可填任一状态，并填写“状态日期”"
            ),
            example="已申报",
            width=12,
        ),
        Column(
            "状态日期",
            "status_date",
            DATE,
            comment="项目进入该状态的日期（仅市级管理员导入历史数据时填写；不晚于今天）",
            width=12,
            may_be_absent=True,
        ),
        Column(
            "贷款需求(万元)",
            "loan_demand",
            WAN,
            comment="单位：万元；可空（融资对接，P12）",
            warn_above=AMOUNT_LIMIT,
            width=14,
            may_be_absent=True,
        ),
        Column(
            "意向银行",
            "intended_banks",
            TEXT,
            comment="银行名称或代码，以“、”分隔，最多 3 家（见行动方案的银行名录）；可空",
            width=24,
            may_be_absent=True,
        ),
    ),
    check=check,
    write=write,
    seen=seen,
    getters={
        "uscc": lambda p: p.enterprise.uscc,
        "status_date": lambda p: None,
        "intended_banks": lambda p: "、".join(bank_names().get(b, b) for b in p.intended_banks or []) or None,
    },
    rows=registry.project_list,
    list_params={"area": "area", "year": "year", "status": "status", "q": "q"},
    list_page=ListPage("projects/", "project_list", "registry/project_list.html", list_context),
    scope={"area": "area_id", "uscc": "enterprise__uscc"},
)
