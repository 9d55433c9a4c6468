"""Equipment API: ``GET|POST /api/v1/projects/{code}/equipment`` (设备清单 of a project) and
``PATCH|DELETE /api/v1/projects/{code}/equipment/{number}``.

Amounts in yuan; a project outside the caller's scope answers 404. Writes go through
``services`` (scope, edit rights of the project, version, history); the answer of a list carries
the same warnings as the import (lines over the registered 设备投资, robots, first-set products).
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Literal

from ninja import Field, Router, Schema, Status
from ninja.errors import HttpError

from renewal.accounts.auth import api_auth
from renewal.accounts.scope import scope_for
from renewal.api.types import Count, Key, Money, Number, Text
from renewal.registry import reference
from renewal.registry import selectors as registry

from . import policy, selectors, services

router = Router(tags=["设备清单"], auth=api_auth)

# the enumerations of the registry (registry/data/enumerations.yaml), as the schema's choices
Category = Literal[tuple(reference.values("equipment_categories"))]
Acquisition = Literal[tuple(reference.values("acquisition_modes"))]
Origin = Literal[(*reference.values("equipment_origins"), "")]
Level = Literal[tuple(reference.values("first_set_levels"))]
DepreciationClass = Literal[tuple(reference.values("depreciation_classes"))]


class LineOut(Schema):
    number: int = Field(description="序号")
    name: str
    spec: str
    category: str
    acquisition: str
    unit_price: float | None = Field(description="单价（元）")
    quantity: int | None
    lease_fee: float | None = Field(description="租赁费（元）")
    amount: float = Field(description="金额（元）：购置为单价×数量，租赁为租赁费")
    origin: str
    first_set_level: str
    first_set_product: str
    supplier: str
    invoice_no: str
    acquired_on: dt.date | None
    depreciation_class: str
    version: int = Field(description="版本号：修改时原样带回，用于冲突检测")


class LineList(Schema):
    project: str
    items: list[LineOut]
    count: int
    total: float = Field(description="设备清单合计（元）")
    equipment_investment: float = Field(description="项目登记的设备投资（元）")
    warnings: list[str]


class LineFields(Schema):
    """Absent means unchanged (PATCH) or the default (POST); the amounts, the quantity and the
    dates may be null (a leased line has no unit price)."""

    name: Text = Field(None, min_length=1, max_length=200)
    spec: Text = Field(None, max_length=200)
    category: Category = None
    acquisition: Acquisition = None
    unit_price: Money | None = Field(None, description="单价（元）；购置必填")
    quantity: Annotated[int, Field(ge=1, le=1_000_000)] | None = Field(None, description="数量；购置必填")
    lease_fee: Money | None = Field(None, description="租赁费（元）；租赁必填")
    origin: Origin = None
    first_set_level: Level | None = None
    first_set_product: Text = Field(None, max_length=200)
    supplier: Text = Field(None, max_length=200)
    invoice_no: Text = Field(None, max_length=60)
    acquired_on: dt.date | None = None
    depreciation_class: DepreciationClass | None = None


class LineIn(LineFields):
    number: Count | None = Field(None, description="序号；不填则接在最后")
    name: Text = Field(min_length=1, max_length=200)
    category: Category
    acquisition: Acquisition = "购置"


class LinePatch(LineFields):
    version: int = Field(ge=1, description="读取时的版本号")


def _line(x) -> dict:
    return {
        "number": x.number,
        "name": x.name,
        "spec": x.spec,
        "category": x.category,
        "acquisition": x.acquisition,
        "unit_price": policy.number(x.unit_price),
        "quantity": x.quantity,
        "lease_fee": policy.number(x.lease_fee),
        "amount": policy.number(x.amount) or 0,
        "origin": x.origin,
        "first_set_level": x.first_set_level,
        "first_set_product": x.first_set_product,
        "supplier": x.supplier,
        "invoice_no": x.invoice_no,
        "acquired_on": x.acquired_on,
        "depreciation_class": x.depreciation_class,
        "version": x.version,
    }


def _project(request, code: str):
    p = registry.project_get(scope=scope_for(request.user).require_records("设备清单"), code=code)
    if p is None:
        raise HttpError(404, f"未找到项目 {code}（或无权查看）")
    return p


def _given(body: Schema) -> dict:
    return {k: v for k, v in body.model_dump(exclude_unset=True).items() if k != "version"}


@router.get("/projects/{code}/equipment", response=LineList, summary="项目设备清单")
def line_list(request, code: Key):
    p = _project(request, code)
    lines = selectors.line_list(p)
    return {
        "project": p.code,
        "items": [_line(x) for x in lines],
        "count": len(lines),
        "total": policy.number(selectors.lines_total(lines)) or 0,
        "equipment_investment": policy.number(p.equipment_investment) or 0,
        "warnings": selectors.lines_warnings(p, lines),
    }


@router.post("/projects/{code}/equipment", response={201: LineOut}, summary="新增设备清单项")
def line_create(request, code: Key, body: LineIn):
    line = services.line_create(user=request.user, project=_project(request, code), data=_given(body))
    return Status(201, _line(line))


def _existing(request, code: str, number: int):
    p = _project(request, code)
    line = selectors.line_get(p, number)
    if line is None:
        raise HttpError(404, f"项目 {p.code} 没有第 {number} 项设备")
    return line


@router.patch("/projects/{code}/equipment/{number}", response=LineOut, summary="修改设备清单项（带版本号）")
def line_update(request, code: Key, number: Number, body: LinePatch):
    line = _existing(request, code, number)
    line = services.line_update(user=request.user, line=line, data=_given(body), version=body.version)
    return _line(line)


@router.delete(
    "/projects/{code}/equipment/{number}", response={204: None}, summary="删除设备清单项（进入回收站）"
)
def line_delete(request, code: Key, number: Number):
    services.line_delete(user=request.user, line=_existing(request, code, number))
    return Status(204, None)
