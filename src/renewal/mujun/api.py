"""API of the 亩均 evaluation (P14): ``GET /api/v1/mujun?year=&area=`` — the answer of
`renewal mujun --json` (selectors.evaluation): scores, ranks, classes and the trace of every point.

Who reads: the city administrator and reviewer every area, an area operator its own area's items,
an enterprise user its own item only; the viewer (aggregated figures only) and roles without
records 403. A bad or missing ``year``, an unknown ``area``: 400 with a Chinese message; no plan or
no scheme: 409.
"""

from __future__ import annotations

from ninja import Field, Query, Router, Schema
from ninja.errors import HttpError

from renewal.accounts.auth import api_auth
from renewal.accounts.scope import scope_for
from renewal.api.types import Key, YearText
from renewal.planning.selectors import NoPlanLoaded

from . import selectors

router = Router(tags=["亩均评价"], auth=api_auth)


class PointOut(Schema):
    indicator: str = Field(description="指标名称，如 亩均税收")
    value: float | None = Field(
        description="企业的指标值（基本单位：元/亩、元/吨标准煤、比例为小数）；分母为 0 时为空"
    )
    benchmark: float | None = Field(description="本区域基准值 = Σ分子 ÷ Σ分母；Σ分母为 0 时为空")
    points: float = Field(description="得分（四舍五入到 2 位小数，仅用于显示）")
    basis: str = Field(description="计分依据：公式、数值、基准值、比值、上限、条款")


class ItemOut(Schema):
    uscc: str
    name: str
    area: str = Field(description="区域代码")
    rank: int = Field(description="区域内排名（按精确总分）")
    class_: str = Field(alias="class", description="分类 A/B/C/D")
    score: float = Field(description="指标得分合计")
    bonus: float = Field(description="设备更新加分（P14）")
    total: float = Field(description="总分 = 指标得分 + 加分")
    points: list[PointOut]
    bonus_projects: list[str] = Field(description="获得加分的项目编号")
    bonus_basis: str = Field(description="加分依据")


class MujunOut(Schema):
    year: int
    area: str | None = Field(description="所查区域代码；为空表示全部区域")
    clause: str
    example: bool = Field(description="评价方案为示例（方案文件未规定分值）")
    items: list[ItemOut]


class MujunQuery(Schema):
    year: YearText = Field(description="评价年度，如 2024")
    area: Key = Field(None, description="区域代码；不填为全部区域")


@router.get("/mujun", response=MujunOut, by_alias=True, summary="企业亩均效益综合评价（P14）")
def mujun(request, q: Query[MujunQuery]):
    # year and area are read as text so that a bad value gets the 400 in Chinese of the selectors
    try:
        return selectors.evaluation(year=q.year, area=q.area, scope=scope_for(request.user))
    except (NoPlanLoaded, selectors.NoScheme) as exc:
        raise HttpError(409, str(exc)) from None
