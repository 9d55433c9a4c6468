"""The registry measures behind the plan's targets — exactly the semantics of the indicators issue —
and the finance measures a plan may set targets on (loans, drawdowns, fund investments: P12).

Pure data, each measure declared once: which table's rows make it, which conditions they meet
(statuses, kinds, levels, the year, the stretch of time), what is summed, how a row is dated, and
which roll-up (kept exact by triggers) answers its aggregate quickly. ``measure_queries`` turns a
declaration into both the aggregate per area and month and the drill-down records, so the two
agree by construction. Everything is read at the data date (the last day of the last whole month,
docs/decisions/0014-figures-as-of-their-date.md): statuses through each project's status
stretches, windows in time from the target's period in the plan file (year Y; or its first month …
the data date), thresholds from the target's ``source.threshold``.

Conditions are Django lookups with plain values (strings here: this module imports no Django).
Add a measure: docs/decisions/0010-measures-once.md.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Literal

# Which statuses count (已入库 … 已兑现) and which are completed (竣工, 验收通过, 已兑现) is the
# registry's reference data; a measure reads them through the project's status stretches
# (``Measure.status``, registry/spells.py), so that every count is as of its data date.
GREEN_TYPE = "绿色化改造"
CHAIN_TYPE = "产业链协同创新"
# T2: (honour kind, levels that count; None = any level)
DEMONSTRATION_HONOURS = (("未来工厂", ("省级",)), ("国家智能制造示范工厂", None), ("灯塔工厂", None))
GREEN_HONOUR = ("绿色工厂", ("省级", "国家级"))
FIRST_SET = ("首台套", ("省级", "国家级"))
HIGH_FUND_LEVELS = ("省级", "国家级")
CITY_FUND_LEVELS = ("市级",)


@dataclass(frozen=True)
class Table:
    """A table whose rows make measures, and what the drill-down lists for a row."""

    model: str  # "app_label.Model": the registry's, or another app's (finance: P12)
    area: str  # lookup of a row's area code (None for funds of the city itself)
    record: Literal["project", "enterprise", "first_set", "fund", "loan", "fund_investment"]
    record_key: str  # lookup of the listed record's id
    where: Mapping[str, object] = field(default_factory=dict)  # rows that never count
    project: str | None = None  # lookup prefix of the row's project (its status stretches)


# No row of a deleted enterprise ever counts: deleting an enterprise deletes its projects, progress,
# honours and first sets with it (registry services), and the conditions below say it again.
TABLES = {
    "project": Table(
        "registry.Project",
        area="area_id",
        record="project",
        record_key="id",
        project="",
        where={"is_deleted": False},
    ),
    # the roll-up leaves out the progress of a deleted project (rollup_sql.add_row), and so does this
    "progress": Table(
        "registry.MonthlyProgress",
        area="project__area_id",
        record="project",
        record_key="project_id",
        where={"project__is_deleted": False},
        project="project__",
    ),
    "honour": Table(
        "registry.Honour",
        area="enterprise__area_id",
        record="enterprise",
        record_key="enterprise_id",
        where={"enterprise__is_deleted": False},
    ),
    "first_set": Table(
        "registry.FirstSetProduct",
        area="enterprise__area_id",
        record="first_set",
        record_key="id",
        where={"enterprise__is_deleted": False},
    ),
    "fund": Table("registry.Fund", area="area_id", record="fund", record_key="id"),
    # funds that name a project (sheet 资金下达): T8's provincial-subsidised projects
    "allocation": Table(
        "registry.Fund",
        area="project__area_id",
        record="project",
        record_key="project_id",
        where={"project__is_deleted": False, "project__isnull": False},
        project="project__",
    ),
    # finance (P12, issue 15): loans and drawdowns are counted in the project's area, fund
    # investments in the enterprise's; a soft-deleted record, or one of a deleted project, never counts
    "loan": Table(
        "finance.LoanContract",
        area="project__area_id",
        record="loan",
        record_key="id",
        where={"is_deleted": False, "project__is_deleted": False},
    ),
    "drawdown": Table(
        "finance.Drawdown",
        area="contract__project__area_id",
        record="loan",  # listed by contract, its counted drawdowns in the detail
        record_key="contract_id",
        where={"is_deleted": False, "contract__is_deleted": False, "contract__project__is_deleted": False},
    ),
    "fund_investment": Table(
        "finance.FundInvestment",
        area="enterprise__area_id",
        record="fund_investment",
        record_key="id",
        where={"is_deleted": False, "enterprise__is_deleted": False},
    ),
}


@dataclass(frozen=True)
class Rollup:
    """A roll-up table kept exact by triggers (``rollup_sql``): the row fields it keeps as columns.

    A measure answered by a roll-up may use only these lookups; its drill-down reads the registry
    table with the same conditions, and a test checks the two agree for every measure."""

    model: str  # indicators model
    table: str  # the registry table it sums (a key of TABLES)
    keys: Mapping[str, str]  # row field → the key column that keeps it (conditions, area, date)
    sums: Mapping[str, str]  # row field → the column that sums it (values)
    count: str  # the column that counts rows
    # (lookup, value) conditions kept as a boolean key column; the triggers compute them in SQL
    flags: Mapping[tuple[str, str], str] = field(default_factory=dict)
    month_index: tuple[str, ...] = ()  # columns holding periods.month_index (−1: no date), not a date


ROLLUPS = {
    "project": Rollup(
        "ProjectRollup",
        "project",
        keys={
            "area_id": "area_code",
            "year": "year",
            "provincial_key": "provincial_key",
            "counted_from": "counted_from_month",
            "counted_until": "counted_until_month",
        },
        sums={f: f for f in ("total_investment", "equipment_investment", "energy_saving")},
        count="project_count",
        flags={("types__contains", GREEN_TYPE): "green", ("types__contains", CHAIN_TYPE): "chain"},
        month_index=("counted_from_month", "counted_until_month"),
    ),
    "completion": Rollup(
        "CompletionRollup",
        "project",
        keys={
            "area_id": "area_code",
            "end_date": "end_date",
            "completed_from": "completed_from_month",
            "completed_until": "completed_until_month",
        },
        sums={"energy_saving": "energy_saving"},
        count="project_count",
        month_index=("completed_from_month", "completed_until_month"),
    ),
    "progress": Rollup(
        "ProgressRollup",
        "progress",
        keys={
            "project__area_id": "area_code",
            "project__year": "project_year",
            "project__provincial_key": "provincial_key",
            "project__counted_from": "counted_from_month",
            "project__counted_until": "counted_until_month",
            "month": "month",
        },
        sums={f: f for f in ("investment", "equipment_investment", "robots", "cnc")},
        count="row_count",
        month_index=("counted_from_month", "counted_until_month"),
    ),
}

# How a row is placed in time:
#   stretch — a stock of projects (T1, T6, T8 counts): a project counts from the month it entered
#             its status stretch (``status``) until the month it left it (an increment of +1 and,
#             once left, −1), so the sum of the increments up to a month is the count at its end
#             whatever the window: the count at the data date;
#   month   — a month (first day); counted from ``since`` to the data date's month;
#   day     — a date; counted from ``since`` to the data date;
#   year    — a year, shown in its January; counted from ``since``'s year to the indicator's year
#             (and, when ``on`` names the record's day, only once that day has come).
Dating = Literal["stretch", "month", "day", "year"]
Status = Literal["counted", "completed", "declared"]


@dataclass(frozen=True)
class Measure:
    code: str
    table: str  # a key of TABLES
    description: str
    where: Mapping[str, object] = field(default_factory=dict)  # conditions on the row, all of them
    any_of: tuple[Mapping[str, object], ...] = ()  # … and at least one of these (when given)
    value: str | None = None  # the column summed; None: each row counts 1
    year: tuple[str, ...] = ()  # the row's fields that equal the indicator's year
    status: Status | None = None  # the row's project is in this status stretch at the data date
    date: str | None = None  # the row's field that places it in time …
    dated: Dating = "year"  # … read as
    on: str | None = None  # a year-dated record's optional day: it counts from that day
    since: Literal["year", "period"] | None = None  # the date counts from 1 January or the period start
    threshold: str | None = None  # a lookup compared with the target's ``source.threshold``
    distinct: str | None = None  # count each value of this field once, at its first date
    rollup: str | None = None  # a key of ROLLUPS that answers the aggregate
    profile: bool = False  # the year before gives the forecast's monthly profile (flows)
    detail: str = ""  # the drill-down's detail column, formatted with the record's fields

    @property
    def dated_by_year(self) -> bool:
        """Records carry a year, not a month."""
        return self.dated == "year"

    @property
    def stock(self) -> bool:
        """A count at the data date (records that enter during the year), not a flow."""
        return self.dated == "stretch"

    @property
    def kind(self) -> Literal["flow", "stock", "annual"]:
        """How it is forecast (docs/decisions/0014): flows by the monthly profile of earlier
        years, stocks by the declared pipeline, year-only records not at all."""
        return "stock" if self.stock else "annual" if self.dated_by_year else "flow"


def _project_count(code: str, description: str, *, threshold: str | None = None, **where) -> Measure:
    """Projects of the indicator's year in a counted status at the data date (T1, T6, T8)."""
    return Measure(
        code,
        "project",
        description,
        where=where,
        year=("year",),
        status="counted",
        dated="stretch",
        threshold=threshold,
        # a threshold is plan data, so it cannot be a roll-up key: such a count reads the projects
        # through the investment index (rollup_sql.LARGE_INDEX)
        rollup=None if threshold else "project",
        detail="{types} · 自 {counted_from} 起计入",
    )


def _progress_sum(code: str, description: str, value: str, *, since, year=(), **where) -> Measure:
    """A column of the monthly progress of projects counted at the data date, from ``since`` to
    the data date's month."""
    return Measure(
        code,
        "progress",
        description,
        where=where,
        value=value,
        year=year,
        status="counted",
        date="month",
        dated="month",
        since=since,
        rollup="progress",
        profile=True,
    )


def _honoured(code: str, description: str, honours) -> Measure:
    """Enterprises with one of ``honours`` (kind, levels; None = any level) in the period up to
    the year, each counted once at its first such year (T2)."""
    return Measure(
        code,
        "honour",
        description,
        any_of=tuple({"kind": k, "level__in": levels} if levels else {"kind": k} for k, levels in honours),
        date="year",
        on="awarded_on",
        since="period",
        distinct="enterprise_id",
    )


def _funds(code: str, description: str, levels: tuple[str, ...]) -> Measure:
    """Funds of ``levels`` granted in the year (P11); a fund of no area is the city's own."""
    return Measure(
        code,
        "fund",
        description,
        where={"level__in": levels},
        value="amount",
        year=("year",),
        date="year",
        on="granted_on",
    )


def _finance_sum(code: str, table: str, description: str, date: str, **where) -> Measure:
    """Yuan of finance records (P12) by their day, from the target's period start to the data
    date: a flow, forecast by the year before's monthly profile. No status or year condition: a
    loan signed (or drawn) in the period counts whatever the project's year."""
    return Measure(
        code,
        table,
        description,
        where=where,
        value="amount",
        date=date,
        dated="day",
        since="period",
        profile=True,
    )


MEASURES = {
    m.code: m
    for m in [
        _project_count(
            "provincial_key_projects",
            "年度为本年、省级重点技改为“是”、状态为已入库/在建/竣工/验收通过/已兑现的项目个数",
            provincial_key=True,
        ),
        _progress_sum(
            "provincial_key_equipment_investment",
            "上述省级重点技改项目在本年1月至数据截止月的月度进度“完成设备投资”之和（元）",
            "equipment_investment",
            since="year",
            year=("project__year",),
            project__provincial_key=True,
        ),
        _project_count(
            "provincial_key_large_projects",
            "上述省级重点技改项目中总投资不低于门槛（方案：10亿元）的项目个数",
            threshold="total_investment__gte",
            provincial_key=True,
        ),
        _honoured(
            "demonstration_factories",
            "获评省级未来工厂、国家智能制造示范工厂或灯塔工厂（期间首年至本年）的企业数（同一企业只计一次）",
            DEMONSTRATION_HONOURS,
        ),
        _honoured(
            "green_factories",
            "获评省级或国家级绿色工厂（期间首年至本年）的企业数（同一企业只计一次）",
            (GREEN_HONOUR,),
        ),
        Measure(
            "first_set_products",
            "first_set",
            "本年认定的省级或国家级首台套产品项数（类别为“首台套”）",
            where={"category": FIRST_SET[0], "level__in": FIRST_SET[1]},
            year=("year",),
            date="year",
            on="awarded_on",
        ),
        _progress_sum(
            "new_robots",
            "期间首月至数据截止月，数据截止日状态计入的项目月度进度“机器人到位”之和（台）",
            "robots",
            since="period",
        ),
        _project_count(
            "chain_projects",
            "年度为本年、项目类型含“产业链协同创新”、状态计入的项目个数",
            types__contains=CHAIN_TYPE,
        ),
        _project_count(
            "green_projects",
            "年度为本年、项目类型含“绿色化改造”、状态计入的项目个数",
            types__contains=GREEN_TYPE,
        ),
        _funds("provincial_funds", "本年省级、国家级补助资金之和（元）", HIGH_FUND_LEVELS),
        Measure(
            "provincial_subsidised_projects",
            "allocation",
            "本年度项目中，数据截止日状态计入、且获本年省级或国家级资金下达的项目个数（同一项目只计一次）",
            where={"level__in": HIGH_FUND_LEVELS},
            year=("year", "project__year"),
            status="counted",
            date="year",
            on="granted_on",
            distinct="project_id",
        ),
        _funds("city_funds", "本年市级工信资金用于设备更新之和（元）", CITY_FUND_LEVELS),
        Measure(
            "energy_space",
            "project",
            "数据截止日状态为竣工/验收通过/已兑现、竣工日期在期间首日至数据截止日之间的项目节能量之和（吨标准煤）",
            status="completed",
            value="energy_saving",
            date="end_date",
            dated="day",
            since="period",
            rollup="completion",
            detail="竣工 {end_date}",
        ),
        # finance (P12): no target of the Jiaxing plan reads them; a city's plan may (issue 15)
        _finance_sum(
            "loans_signed",
            "loan",
            "期间首日至数据截止日签约的贷款合同金额之和（元）",
            "signed_on",
        ),
        _finance_sum(
            "relending_loans_signed",
            "loan",
            "其中获再贷款支持的：期间首日至数据截止日签约、再贷款支持为“是”的贷款合同金额之和（元）",
            "signed_on",
            relending=True,
        ),
        _finance_sum(
            "loans_disbursed",
            "drawdown",
            "期间首日至数据截止日的贷款放款金额之和（元，按放款日期）",
            "drawn_on",
        ),
        _finance_sum(
            "fund_investments",
            "fund_investment",
            "期间首日至数据截止日基金对企业的投资金额之和（元，按投资日期，计入企业所在区域）",
            "invested_on",
        ),
    ]
}
