"""Registry API: /api/v1/enterprises, /api/v1/projects, /api/v1/projects/{code}/progress.

Lists take ``area``, ``year``, ``status`` and ``limit``/``offset`` and answer
``{"items": [...], "count": N}``; every item carries its ``area`` code. Amounts in yuan.
A record outside the caller's scope answers 404, as if it did not exist.
"""

from __future__ import annotations

import datetime as dt

from ninja import Field, Query, Router, Schema
from ninja.errors import HttpError

from renewal.accounts.auth import api_auth
from renewal.accounts.scope import scope_for

from . import selectors

router = Router(tags=["登记库"], auth=api_auth)
MAX_LIMIT = 1000


class Page(Schema):
    limit: int = Field(100, ge=1, le=MAX_LIMIT, description="每页条数（最多 1000）")
    offset: int = Field(0, ge=0)


class ListFilters(Page):
    area: str | None = Field(None, description="区域代码，如 330402、jxedz")
    year: int | None = Field(None, ge=2000, le=2100)
    status: str | None = None


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


class ProgressOut(Schema):
    month: str = Field(description="YYYY-MM")
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
    }


@router.get("/enterprises", response=EnterpriseList, summary="企业列表")
def enterprise_list(request, filters: Query[ListFilters]):
    qs = selectors.enterprise_list(scope=scope_for(request.user), area=filters.area)
    window = qs[filters.offset : filters.offset + filters.limit]
    return {"items": [_enterprise(e) for e in window], "count": qs.count()}


@router.get("/enterprises/{uscc}", response=EnterpriseOut, summary="企业详情")
def enterprise_get(request, uscc: str):
    e = selectors.enterprise_get(scope=scope_for(request.user), uscc=uscc.strip().upper())
    if e is None:
        raise HttpError(404, f"未找到企业 {uscc}（或无权查看）")
    return _enterprise(e)


@router.get("/projects", response=ProjectList, summary="项目列表")
def project_list(request, filters: Query[ListFilters]):
    qs = selectors.project_list(
        scope=scope_for(request.user), area=filters.area, year=filters.year, status=filters.status
    )
    window = qs[filters.offset : filters.offset + filters.limit]
    return {"items": [_project(p) for p in window], "count": qs.count()}


@router.get("/projects/{code}", response=ProjectOut, summary="项目详情")
def project_get(request, code: str):
    p = selectors.project_get(scope=scope_for(request.user), code=code)
    if p is None:
        raise HttpError(404, f"未找到项目 {code}（或无权查看）")
    return _project(p)


@router.get("/projects/{code}/progress", response=ProgressList, summary="项目月度进度")
def progress_list(request, code: str):
    p = selectors.project_get(scope=scope_for(request.user), code=code)
    if p is None:
        raise HttpError(404, f"未找到项目 {code}（或无权查看）")
    rows = [
        {
            "month": f"{r.month:%Y-%m}",
            "investment": r.investment,
            "equipment_investment": r.equipment_investment,
            "robots": r.robots,
            "cnc": r.cnc,
        }
        for r in p.progress.order_by("month")
    ]
    return {"items": rows, "count": len(rows)}
