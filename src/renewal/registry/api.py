"""Registry API: /api/v1/enterprises, /api/v1/projects, /api/v1/projects/{code}/progress.

Lists take ``area``, ``year``, ``status`` and ``limit``/``offset`` and answer
``{"items": [...], "count": N}``; every item carries its ``area`` code. Amounts in yuan.
A record outside the caller's scope answers 404, as if it did not exist; a role that reads no
records (the viewer reads aggregated figures only) answers 403 with the reason in Chinese.

Writes (POST/PATCH) go through ``services`` (scoped, attributed in the history) and carry the
``version`` the caller read: a stale edit answers 409 with a Chinese conflict message; a write the
caller's role may not make answers 403; the workflow moves only along ``workflow.TRANSITIONS``.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Literal

from ninja import Field, Query, Router, Schema, Status
from ninja.errors import HttpError

from renewal.accounts.auth import api_auth
from renewal.accounts.scope import scope_for
from renewal.api.types import Area, Count, Key, Money, Note, Quantity, Text

from . import reference, selectors, services, workflow

router = Router(tags=["登记库"], auth=api_auth)
MAX_LIMIT = 1000
MAX_OFFSET = 1_000_000_000


def _scope(request, noun: str):
    """The caller's scope; 403 (Chinese reason) for a role that reads no records (the viewer)."""
    return scope_for(request.user).require_records(noun)


class Page(Schema):
    limit: int = Field(100, ge=1, le=MAX_LIMIT, description="每页条数（最多 1000）")
    # bounded: a database integer holds no more (SQLite and PostgreSQL refuse a larger OFFSET)
    offset: int = Field(0, ge=0, le=MAX_OFFSET, description="跳过的条数（最多 10 亿）")


class ListFilters(Page):
    area: Key = Field(None, description="区域代码，如 330402、jxedz")
    year: int = Field(None, ge=2000, le=2100)
    status: Text = Field(None, max_length=10, description="项目状态，如 在建")


class EnterpriseOut(Schema):
    uscc: str
    name: str
    area: str
    area_name: str
    industry_code: str
    industry_name: str
    above_scale: bool
    land_mu: float | None
    employees: int | None
    high_tech: bool
    ic_enterprise: bool
    machine_tool_enterprise: bool
    version: int = Field(description="版本号：修改时原样带回，用于冲突检测")


class ProjectOut(Schema):
    code: str
    name: str
    uscc: str
    enterprise_name: str
    area: str
    area_name: str
    year: int
    types: list[str]
    provincial_key: bool
    total_investment: float = Field(description="总投资（元）")
    equipment_investment: float = Field(description="设备投资（元）")
    first_set_purchase: float = Field(description="首台套购置额（元）")
    new_robots: int
    new_cnc: int
    energy_saving: float = Field(description="节能量（吨标准煤）")
    new_land: bool
    start_date: dt.date | None
    end_date: dt.date | None
    status: str
    version: int = Field(description="版本号：修改时原样带回，用于冲突检测")


class ProgressOut(Schema):
    month: str = Field(description="YYYY-MM")
    version: int = Field(1, description="版本号：修改时原样带回，用于冲突检测")
    investment: float = Field(description="完成投资（元）")
    equipment_investment: float = Field(description="完成设备投资（元）")
    robots: int
    cnc: int


class EnterpriseList(Schema):
    items: list[EnterpriseOut]
    count: int


class ProjectList(Schema):
    items: list[ProjectOut]
    count: int


class ProgressList(Schema):
    items: list[ProgressOut]
    count: int


def _enterprise(e) -> dict:
    return {
        "uscc": e.uscc,
        "name": e.name,
        "area": e.area_id,
        "area_name": e.area.name,
        "industry_code": e.industry_code,
        "industry_name": e.industry_name,
        "above_scale": e.above_scale,
        "land_mu": e.land_mu,
        "employees": e.employees,
        "high_tech": e.high_tech,
        "ic_enterprise": e.ic_enterprise,
        "machine_tool_enterprise": e.machine_tool_enterprise,
        "version": e.version,
    }


def _project(p) -> dict:
    return {
        "code": p.code,
        "name": p.name,
        "uscc": p.enterprise.uscc,
        "enterprise_name": p.enterprise.name,
        "area": p.area_id,
        "area_name": p.area.name,
        "year": p.year,
        "types": p.type_list,
        "provincial_key": p.provincial_key,
        "total_investment": p.total_investment,
        "equipment_investment": p.equipment_investment,
        "first_set_purchase": p.first_set_purchase,
        "new_robots": p.new_robots,
        "new_cnc": p.new_cnc,
        "energy_saving": p.energy_saving,
        "new_land": p.new_land,
        "start_date": p.start_date,
        "end_date": p.end_date,
        "status": p.status,
        "version": p.version,
    }


@router.get("/enterprises", response=EnterpriseList, summary="企业列表")
def enterprise_list(request, filters: Query[ListFilters]):
    qs = selectors.enterprise_list(scope=_scope(request, "企业"), area=filters.area)
    window = qs[filters.offset : filters.offset + filters.limit]
    return {"items": [_enterprise(e) for e in window], "count": qs.count()}


@router.get("/enterprises/{uscc}", response=EnterpriseOut, summary="企业详情")
def enterprise_get(request, uscc: Key):
    e = selectors.enterprise_get(scope=_scope(request, "企业"), uscc=uscc.strip().upper())
    if e is None:
        raise HttpError(404, f"未找到企业 {uscc}（或无权查看）")
    return _enterprise(e)


@router.get("/projects", response=ProjectList, summary="项目列表")
def project_list(request, filters: Query[ListFilters]):
    qs = selectors.project_list(
        scope=_scope(request, "项目"), area=filters.area, year=filters.year, status=filters.status
    )
    window = qs[filters.offset : filters.offset + filters.limit]
    return {"items": [_project(p) for p in window], "count": qs.count()}


@router.get("/projects/{code}", response=ProjectOut, summary="项目详情")
def project_get(request, code: Key):
    p = selectors.project_get(scope=_scope(request, "项目"), code=code)
    if p is None:
        raise HttpError(404, f"未找到项目 {code}（或无权查看）")
    return _project(p)


@router.get("/projects/{code}/progress", response=ProgressList, summary="项目月度进度")
def progress_list(request, code: Key):
    p = selectors.project_get(scope=_scope(request, "项目"), code=code)
    if p is None:
        raise HttpError(404, f"未找到项目 {code}（或无权查看）")
    rows = [
        {
            "month": f"{r.month:%Y-%m}",
            "version": r.version,
            "investment": r.investment,
            "equipment_investment": r.equipment_investment,
            "robots": r.robots,
            "cnc": r.cnc,
        }
        for r in p.progress.order_by("month")
    ]
    return {"items": rows, "count": len(rows)}


# ---------------------------------------------------------------------------------------------
# Writes
# ---------------------------------------------------------------------------------------------


class EnterpriseIn(Schema):
    uscc: Key = Field(max_length=18, description="统一社会信用代码")
    name: Text = Field(min_length=1, max_length=200)
    area: Key = Field(max_length=20, description="区域代码")
    industry_code: Text = Field(max_length=4, description="GB/T 4754-2017 制造业代码")
    uscc_confirmed: bool = False
    above_scale: bool = False
    land_mu: Area | None = None
    employees: Count | None = None
    high_tech: bool = False
    ic_enterprise: bool = False
    machine_tool_enterprise: bool = False


class EnterprisePatch(Schema):
    version: int = Field(ge=1, description="读取时的版本号")
    name: Text = Field(None, min_length=1, max_length=200)
    area: Key = Field(None, max_length=20)
    industry_code: Text = Field(None, max_length=4)
    uscc_confirmed: bool = None
    above_scale: bool = None
    land_mu: Area | None = None
    employees: Count | None = None
    high_tech: bool = None
    ic_enterprise: bool = None
    machine_tool_enterprise: bool = None


class ProjectFields(Schema):
    """Absent means unchanged (PATCH) or the default (POST); only the dates may be null."""

    name: Text = Field(None, min_length=1, max_length=200)
    year: int = Field(None, ge=2000, le=2100)
    types: list[Text] = Field(None, min_length=1, description="项目类型，一个或多个")
    provincial_key: bool = None
    total_investment: Money = Field(None, description="总投资（元）")
    equipment_investment: Money = Field(None, description="设备投资（元）")
    first_set_purchase: Money = Field(None, description="首台套购置额（元）")
    new_robots: Count = None
    new_cnc: Count = None
    energy_saving: Quantity = None
    new_land: bool = None
    start_date: dt.date | None = None
    end_date: dt.date | None = None


class ProjectIn(ProjectFields):
    code: Key = Field(max_length=40, description="项目编号")
    uscc: Key = Field(max_length=18, description="企业统一社会信用代码")
    name: Text = Field(min_length=1, max_length=200)
    year: int = Field(ge=2000, le=2100)
    types: list[Text] = Field(min_length=1)


class ProjectPatch(ProjectFields):
    version: int = Field(ge=1, description="读取时的版本号")


class ProgressIn(Schema):
    month: str = Field(pattern=r"^20[0-9]{2}-(0[1-9]|1[0-2])$", description="YYYY-MM（2000—2099 年）")
    investment: Money = Field(description="完成投资（元）")
    equipment_investment: Money = Field(Decimal(0), description="完成设备投资（元）")
    robots: Count = 0
    cnc: Count = 0
    version: int | None = Field(None, ge=1, description="修改已有月份时：读取时的版本号；新填报不填")
    reason: Note = Field("", max_length=100, description="更正已锁定月份的理由（仅市级管理员）")


ProjectStatus = Literal[tuple(reference.values("project_statuses"))]


class TransitionIn(Schema):
    to: ProjectStatus = Field(description="目标状态，如 已申报")
    comment: Note = Field("", max_length=1000, description="意见；退回、撤销须填写理由")
    version: int | None = Field(None, ge=1, description="读取时的项目版本号（可选，用于冲突检测）")


class TransitionOut(Schema):
    project: str
    from_status: str
    to_status: str
    action: str
    user: str | None
    at: dt.datetime
    comment: str


class TransitionList(Schema):
    items: list[TransitionOut]
    count: int


class WorkflowStep(Schema):
    from_status: str
    to: str
    action: str
    roles: list[str]
    role_labels: list[str]
    needs_comment: bool


def _transition(t) -> dict:
    return {
        "project": t.project.code,
        "from_status": t.from_status,
        "to_status": t.to_status,
        "action": t.action,
        "user": t.user.username if t.user else None,
        "at": t.at,
        "comment": t.comment,
    }


def _visible_project(request, code: str):
    p = selectors.project_get(scope=_scope(request, "项目"), code=code)
    if p is None:
        raise HttpError(404, f"未找到项目 {code}（或无权查看）")
    return p


@router.post("/enterprises", response={201: EnterpriseOut}, summary="登记企业")
def enterprise_create(request, body: EnterpriseIn):
    e = services.enterprise_create(user=request.user, data=body.dict())
    return Status(201, _enterprise(selectors.enterprise_get(scope=scope_for(request.user), uscc=e.uscc)))


@router.patch("/enterprises/{uscc}", response=EnterpriseOut, summary="修改企业（带版本号）")
def enterprise_update(request, uscc: Key, body: EnterprisePatch):
    e = selectors.enterprise_get(scope=_scope(request, "企业"), uscc=uscc.strip().upper())
    if e is None:
        raise HttpError(404, f"未找到企业 {uscc}（或无权查看）")
    data = body.dict(exclude_unset=True)
    version = data.pop("version")
    e = services.enterprise_update(user=request.user, enterprise=e, data=data, version=version)
    return _enterprise(e)


@router.post("/projects", response={201: ProjectOut}, summary="登记项目（草稿）")
def project_create(request, body: ProjectIn):
    p = services.project_create(user=request.user, data=body.dict(exclude_unset=True))
    return Status(201, _project(selectors.project_get(scope=scope_for(request.user), code=p.code)))


@router.patch("/projects/{code}", response=ProjectOut, summary="修改项目（带版本号）")
def project_update(request, code: Key, body: ProjectPatch):
    p = _visible_project(request, code)
    data = body.dict(exclude_unset=True)
    version = data.pop("version")
    p = services.project_update(user=request.user, project=p, data=data, version=version)
    return _project(p)


@router.post("/projects/{code}/progress", response=ProgressOut, summary="填报或修改月度进度")
def progress_report(request, code: Key, body: ProgressIn):
    from renewal.reporting.services import progress_report as report

    p = _visible_project(request, code)
    month = dt.datetime.strptime(body.month, "%Y-%m").date()
    data = body.dict(include={"investment", "equipment_investment", "robots", "cnc"})
    r = report(user=request.user, project=p, month=month, data=data, version=body.version, reason=body.reason)
    return {
        "month": f"{r.month:%Y-%m}",
        "version": r.version,
        "investment": r.investment,
        "equipment_investment": r.equipment_investment,
        "robots": r.robots,
        "cnc": r.cnc,
    }


@router.get("/projects/{code}/transitions", response=TransitionList, summary="项目流转记录")
def transition_list(request, code: Key):
    p = _visible_project(request, code)
    rows = [_transition(t) for t in p.transitions.select_related("user", "project")]
    return {"items": rows, "count": len(rows)}


@router.post(
    "/projects/{code}/transitions", response={201: TransitionOut}, summary="项目流转（申报、审核、退回…）"
)
def transition_create(request, code: Key, body: TransitionIn):
    p = _visible_project(request, code)
    t = services.project_transition(
        project=p, to=body.to, user=request.user, comment=body.comment, version=body.version
    )
    return Status(201, _transition(t))


@router.get("/workflow", response=list[WorkflowStep], summary="项目流程表（状态、操作、角色）")
def workflow_table(request):
    return [{**row, "from_status": row["from"]} for row in workflow.as_table()]
