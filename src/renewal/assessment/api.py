"""Assessment API: GET /api/v1/assessment?year=&as_of= — scores and ranks of the areas (O2)."""

from __future__ import annotations

import datetime as dt

from ninja import Field, Query, Router, Schema
from ninja.errors import HttpError

from renewal.accounts.auth import api_auth
from renewal.accounts.scope import scope_for
from renewal.planning.selectors import NoPlanLoaded

from . import selectors

router = Router(tags=["考核排名"], auth=api_auth)


class AssessmentQuery(Schema):
    year: int = Field(..., ge=2000, le=2100, description="考核年度")
    as_of: dt.date = Field(..., description="截至日期 YYYY-MM-DD")


class PointOut(Schema):
    target_id: str = Field(description="指标编号；加减分项为其标识，人工调整为 manual")
    points: float
    basis: str = Field(description="计分依据（规则、数值、条款）")
    kind: str = Field(description="target | bonus | penalty | adjustment")


class ItemOut(Schema):
    area: str
    area_name: str
    score: float
    rank: int
    previous_rank: int | None = Field(description="上月末排名（1 月为空）")
    rank_change: int | None
    rank_note: str
    recommended: bool = Field(description="列入天工鼎优先推荐")
    recommendation_note: str
    points: list[PointOut]


class AssessmentOut(Schema):
    year: int
    as_of: dt.date
    previous_as_of: dt.date | None
    clause: str
    example: bool = Field(description="评分方案为示例（方案未规定分值）")
    items: list[ItemOut]


@router.get("", response=AssessmentOut, summary="各区域考核得分与排名")
def assessment(request, q: Query[AssessmentQuery]):
    scope_for(request.user).require("assessment.ranking")  # 403 for an enterprise user, as the page
    if q.as_of.year != q.year:
        raise HttpError(422, f"as_of：截至日期 {q.as_of} 不在考核年度 {q.year} 内")
    try:
        return selectors.assessment_once(q.year, q.as_of)
    except (NoPlanLoaded, selectors.NoScheme) as exc:
        raise HttpError(409, str(exc)) from None
