"""`GET /api/v1/indicators?year=&as_of=&area=` — the shape of DESIGN.md plus period, series,
forecast and an explanation trace. Bearer token or the browser session (``api_auth``)."""

from __future__ import annotations

from django.http import HttpResponse, HttpResponseNotModified
from ninja import Field, Query, Router, Schema
from ninja.errors import HttpError

from renewal.accounts.auth import api_auth
from renewal.accounts.scope import scope_for
from renewal.api.types import DateText, Key, YearText
from renewal.planning import selectors as plans

from . import answers, display, selectors

# Every signed-in user reads the indicators (area operators compare themselves with the others).
router = Router(tags=["指标监测"], auth=api_auth)


class PeriodOut(Schema):
    kind: str
    label: str
    start: str
    end: str
    months: int
    elapsed_months: int
    judged_within: str | None = None
    elapsed_months_in_year: int | None = None


class SeriesPointOut(Schema):
    month: str
    actual: float | None
    expected: float | None
    forecast: float | None


class ForecastOut(Schema):
    value: float | None
    at: str
    completion: float | None
    expected: float | None
    status: str | None
    method: str
    # flow (monthly profile), stock (pipeline), level, rate, annual (no forecast): decision 0014
    kind: str | None = None
    # the backtested error of this forecast (bench/forecast.py); none when not measured
    error: float | None = None
    remaining_months: int
    needed_per_month: float | None
    still_needed: float | None = None


class StepOut(Schema):
    step: str
    rule: str
    value: float | str | None
    clause: str


class IndicatorOut(Schema):
    target_id: str
    clause: str
    name: str
    unit: str
    target: float | None
    actual: float | None
    completion: float | None
    # level targets: (actual − baseline) ÷ (target − baseline) and the path's elapsed share
    progress: float | None = None
    progress_expected: float | None = None
    expected: float | None
    status: str | None  # green, yellow, red; none = 未分解 (the area's quota is 0 or missing)
    source: str
    period: PeriodOut | None
    series: list[SeriesPointOut]
    forecast: ForecastOut | None
    kind: str
    comparator: str
    display: str  # the plan's own wording of the target (1100亿元以上)
    # the numbers above as people read them (renewal.lib.units: one table, 四舍五入)
    actual_display: str
    target_display: str
    completion_display: str
    expected_display: str
    forecast_display: str
    measure: str
    elapsed: float | None
    reason: str | None
    data_through: str | None
    quota_example: bool
    target_note: str
    path: float | None = None
    baseline: float | None = None
    final_target: float | None = None
    relative_to: str | None = None
    explanation: list[StepOut]


class IndicatorsOut(Schema):
    year: int
    as_of: str
    data_through: str  # YYYY-MM: every figure is taken at the last day of this month
    area: str
    area_name: str
    items: list[IndicatorOut]
    warnings: list[str]
    # the data version the answer was computed at (indicators.DataVersion): it rises on every write
    data_version: int


class IndicatorsQuery(Schema):
    year: YearText = Field(None, description="年度；不填为当年")
    as_of: DateText = Field(None, description="截止日期 YYYY-MM-DD；不填为有数据的最后一月")
    area: Key = Field(None, description="区域代码；不填为全市")


@router.get(
    "",
    response={200: IndicatorsOut, 304: None},
    summary="各项目标指标：实际、目标、完成率、序时进度、状态、预测",
)
def indicators_list(request, q: Query[IndicatorsQuery]):
    """Every target of the plan for the city (or one area) in ``year`` at ``as_of`` (default: the
    last month with data). Amounts in yuan, ratios as fractions; every item carries its clause and
    its figures as the pages write them (``*_display``: 1,100.00亿元, 62.5%).
    The same right as the cockpit pages: 403 for an enterprise user or a user without a role."""
    scope_for(request.user).require("figures.cockpit")
    year, as_of, area = q.year, q.as_of, q.area
    version = answers.data_version()
    # the serialized answer (body and ETag) is computed once per data version and parameters
    tag, body = answers.once(
        "indicators-api",
        (year, as_of, area),
        lambda: _answer_bytes(request, year, as_of, area, version),
        version=version,
    )
    if answers.not_modified(request, tag):
        response = HttpResponseNotModified()
    else:
        response = HttpResponse(body, content_type="application/json; charset=utf-8")
    response["ETag"] = tag
    response["Cache-Control"] = "private, no-cache"
    return response


def _answer_bytes(request, year, as_of, area, version: int) -> tuple[str, bytes]:
    try:
        plan = selectors.active_plan()
        query = selectors.parse_query(plan, year=year, as_of=as_of, area=area)
    except plans.NoPlanLoaded as exc:
        raise HttpError(404, str(exc)) from None
    except selectors.BadRequest as exc:
        raise HttpError(400, str(exc)) from None
    answer = display.answer_display(selectors.indicators_answer(plan, query)) | {"data_version": version}
    data = IndicatorsOut.model_validate(answer).model_dump(by_alias=False)
    from renewal.api.urls import api  # the instance this router is mounted on (its JSON renderer)

    body = api.renderer.render(request, data, response_status=200)
    body = body.encode() if isinstance(body, str) else body
    return answers.etag(body), body
