"""Schema of a plan file (plans/*.yaml), validated with pydantic.

A plan file holds one city's action plan: areas, responsible units, clauses, quantitative
targets, dated policy parameters and subsidy programmes. Values are in base units (yuan,
counts, tce; 55 % as 0.55); ``display`` keeps the plan's own wording (1100亿元).

Errors name the file, the path inside it and what is wrong (see ``PlanError``).
"""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal
from pathlib import Path
from typing import Annotated, Literal

import yaml
from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    PlainSerializer,
    ValidationError,
    ValidationInfo,
    field_validator,
    model_validator,
)

from renewal.lib.units import figure

Comparator = Literal[">=", ">", "<=", "<", "=", "≈"]
COMPARATOR_LABELS = {">=": "≥", ">": ">", "<=": "≤", "<": "<", "=": "=", "≈": "约"}
Unit = Literal[
    "CNY",
    "ratio",
    "count",
    "set",
    "tce",
    "CNY/person-year",
    "CNY/mu",
]
UNIT_LABELS = {
    "CNY": "元",
    "ratio": "%",
    "count": "个",
    "set": "台",
    "tce": "吨标准煤",
    "CNY/person-year": "元/人·年",
    "CNY/mu": "元/亩",
}
TargetKind = Literal["amount", "count", "growth", "average_growth", "share", "level", "relative"]
# Targets compared with a path from the baseline (G4, G6–G10) rather than accumulated.
LEVEL_KINDS = {"share", "level"}
# Parameter units whose values are text (a level such as 省级), not numbers
TEXT_UNITS = {"level"}

YEAR_RANGE = re.compile(r"^(\d{4})\s*[-–]\s*(\d{4})$")
MONTH_RANGE = re.compile(r"^(\d{4})-(\d{2})\s*\.\.\s*(\d{4})-(\d{2})$")


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True)


class Industry(Strict):
    name: str
    divisions: list[Annotated[str, Field(pattern=r"^\d{2}$")]] = Field(min_length=1)


class Area(Strict):
    code: str = Field(pattern=r"^(\d{6}|[a-z][a-z0-9_-]{1,19})$")
    name: str
    short_name: str
    aliases: list[str] = []
    kind: Literal["district", "county", "city", "zone"]
    focus: list[Industry] = []
    # Position on the cockpit's tile map (column, row from the top left), roughly geographic.
    tile: tuple[Annotated[int, Field(ge=1, le=8)], Annotated[int, Field(ge=1, le=8)]] | None = None


class City(Strict):
    code: str = Field(pattern=r"^\d{6}$")
    name: str


class Document(Strict):
    title: str
    number: str
    issuer: str
    issued_on: dt.date
    source: str = ""


class ResponsibleUnit(Strict):
    id: str = Field(pattern=r"^[a-z][a-z0-9-]{1,30}$")
    name: str
    full_name: str = ""


class Clause(Strict):
    id: str = Field(pattern=r"^[A-Z]\d{1,2}$")
    section: str
    number: str
    title: str
    text: str
    lead_units: list[str] = []
    areas: Literal["all", "none"] | list[str] = "all"


class Period(Strict):
    """Exactly one of: a single year, each year of a range, a cumulative month range, or by a year."""

    year: int | None = None
    each_year: str | None = None
    cumulative: str | None = None
    by: int | None = None

    @model_validator(mode="after")
    def _exactly_one(self) -> Period:
        given = [k for k in ("year", "each_year", "cumulative", "by") if getattr(self, k) is not None]
        if len(given) != 1:
            raise ValueError("期间须且只能给出 year、each_year、cumulative、by 之一")
        if self.each_year is not None and not YEAR_RANGE.match(self.each_year):
            raise ValueError(f"each_year 应形如 2025-2027，实为 {self.each_year!r}")
        if self.cumulative is not None and not MONTH_RANGE.match(self.cumulative):
            raise ValueError(f"cumulative 应形如 2024-01..2027-12，实为 {self.cumulative!r}")
        return self

    @property
    def kind(self) -> str:
        return next(k for k in ("year", "each_year", "cumulative", "by") if getattr(self, k) is not None)

    @property
    def bounds(self) -> tuple[dt.date, dt.date]:
        """First and last day the period covers (for ``by``: from the plan's start year)."""
        if self.year is not None:
            return dt.date(self.year, 1, 1), dt.date(self.year, 12, 31)
        if self.each_year is not None:
            a, b = YEAR_RANGE.match(self.each_year).groups()
            return dt.date(int(a), 1, 1), dt.date(int(b), 12, 31)
        if self.cumulative is not None:
            y1, m1, y2, m2 = (int(x) for x in MONTH_RANGE.match(self.cumulative).groups())
            end = dt.date(y2 + (m2 == 12), m2 % 12 + 1, 1) - dt.timedelta(days=1)
            return dt.date(y1, m1, 1), end
        return dt.date(self.by, 1, 1), dt.date(self.by, 12, 31)

    @property
    def label(self) -> str:
        if self.year is not None:
            return f"{self.year}年"
        if self.each_year is not None:
            a, b = YEAR_RANGE.match(self.each_year).groups()
            return f"{a}—{b}年每年"
        if self.cumulative is not None:
            y1, m1, y2, m2 = MONTH_RANGE.match(self.cumulative).groups()
            return f"{y1}年{int(m1)}月—{y2}年{int(m2)}月累计"
        return f"到{self.by}年"

    def as_dict(self) -> dict:
        start, end = self.bounds
        return {
            "kind": self.kind,
            self.kind: getattr(self, self.kind),
            "start": start.isoformat(),
            "end": end.isoformat(),
            "label": self.label,
        }


# The registry measures a plan file may name, registered by the app that computes them (the
# indicators app, from its AppConfig.ready): indicators reads plans, so planning does not import it.
_MEASURES: dict[str, None] = {}


def measures_register(codes) -> None:
    """Make ``codes`` known registry measures (in order) for ``read_plan``."""
    _MEASURES.update(dict.fromkeys(codes))


def measures_known() -> tuple[str, ...] | None:
    """The registered registry measures; None when no app registered any (nothing is checked)."""
    return tuple(_MEASURES) or None


class Source(Strict):
    """Where the actual value comes from: a registry measure or an imported statistic."""

    registry: str | None = None
    statistics: str | None = None
    denominator: str | None = None  # share = statistics / denominator
    # A measure's own parameter from the plan text, e.g. T1 总投资10亿元以上 → 1000000000 (yuan).
    threshold: Decimal | None = None

    @field_validator("registry")
    @classmethod
    def _known(cls, code: str | None, info: ValidationInfo) -> str | None:
        known = (info.context or {}).get("measures")
        if code is not None and known is not None and code not in known:
            raise ValueError(f"未知的度量“{code}”（可选：{'、'.join(known)}）")
        return code

    @model_validator(mode="after")
    def _one(self) -> Source:
        if (self.registry is None) == (self.statistics is None):
            raise ValueError("来源须且只能给出 registry（登记库指标）或 statistics（统计指标代码）之一")
        if self.denominator is not None and self.statistics is None:
            raise ValueError("denominator 只能与 statistics 一起使用")
        return self

    @property
    def kind(self) -> str:
        return "registry" if self.registry else "statistics"

    @property
    def code(self) -> str:
        return self.registry or self.statistics


class Baseline(Strict):
    year: int
    value: Decimal | None = None  # None: read from statistics for that year
    note: str = ""


class Statistic(Strict):
    """An imported statistic the targets read (``source.statistics``, ``source.denominator``): its
    name for people and the unit of its values (a growth target reads yuan and is judged in %)."""

    code: str = Field(pattern=r"^[a-z][a-z0-9_]{1,59}$")
    name: str
    unit: Unit


class Target(Strict):
    id: str = Field(pattern=r"^[A-Z]\d{1,2}(\.[a-z_]+)?$")
    clause: str
    name: str
    kind: TargetKind
    comparator: Comparator
    value: Decimal | None = None  # None only for kind=relative
    relative_to: str | None = None  # kind=relative: compared with another target's actual
    unit: Unit
    display: str
    period: Period
    source: Source
    baseline: Baseline | None = None
    note: str = ""

    @model_validator(mode="after")
    def _value(self) -> Target:
        if self.kind == "relative":
            if self.relative_to is None:
                raise ValueError("kind 为 relative 时须给出 relative_to（比较对象指标）")
        elif self.value is None:
            raise ValueError("须给出目标值 value（基本单位：元、个、吨标准煤，比例用小数）")
        elif self.value < 0:
            raise ValueError("目标值不能为负数")
        if self.unit == "ratio" and self.value is not None and self.value > 5:
            raise ValueError(f"比例应写成小数（55% 写 0.55），实为 {self.value}")
        return self


class ParameterValue(Strict):
    effective_from: dt.date
    until: dt.date | None = None
    value: Decimal | int | str | dict[str, Decimal] | None


class Parameter(Strict):
    """A dated policy parameter in OpenFisca's shape: one quantity, its references, dated values."""

    id: str = Field(pattern=r"^[A-Z]\d{1,2}\.[a-z0-9_]+$")
    clause: str
    description: str
    unit: Literal["CNY", "ratio", "tce", "years", "months", "points", "level", "count"]
    reference: str
    example: bool = False
    values: list[ParameterValue] = Field(min_length=1)
    # names people read for the keys of a value by class ({standard: 0.25, high_tech: 0.15})
    labels: dict[str, str] = {}

    def value_text(self, value) -> str:
        """A value of this parameter as people read it: 3,000.00万元, 50.0%, 省级, or each class by
        its label (标准 25.0%；高新技术企业 15.0%)."""
        if isinstance(value, dict):
            return "；".join(f"{self.labels.get(k, k)} {self.value_text(v)}" for k, v in value.items())
        if self.unit in TEXT_UNITS or value is None:
            return "—" if value is None else str(value)
        return figure(value, self.unit)

    @field_validator("values")
    @classmethod
    def _sorted(cls, values: list[ParameterValue]) -> list[ParameterValue]:
        dates = [v.effective_from for v in values]
        if dates != sorted(dates) or len(set(dates)) != len(dates):
            raise ValueError("生效日期须按时间先后排列且不重复")
        return values


class Eligibility(Strict):
    project_types: list[str] = []
    provincial_key: bool | None = None
    areas: list[str] = []


class Programme(Strict):
    """A subsidy programme (P11). The seed document gives no rates: shipped ones are examples."""

    id: str = Field(pattern=r"^[a-z0-9][a-z0-9-]{1,40}$")
    name: str
    level: Literal["国家级", "省级", "市级", "县级"]
    base: Literal["eligible_equipment_investment", "total_investment"]
    rate: Decimal = Field(ge=0, le=1)
    cap: Decimal | None = Field(default=None, ge=0)
    min_investment: Decimal = Field(default=Decimal(0), ge=0)
    eligibility: Eligibility = Eligibility()
    valid_from: dt.date
    valid_to: dt.date | None = None
    example: bool = True
    clause: str = "P11"


# The reporting rates a ``reporting`` scoring rule may name (reporting/completeness.py).
REPORTING_TARGETS = {"reporting.on_time": "月度进度报送及时率", "reporting.reported": "月度进度报送率"}


class ScoringRule(Strict):
    """How one target scores (O2). ``progress``: weight × min(max(completion / expected, floor), cap)
    -- progress against 序时进度; ``status``: the points given for the indicator's status;
    ``reporting``: weight × min(max(rate, floor), cap) of a reporting rate of the year so far, the
    target naming which (``REPORTING_TARGETS``: 及时率 or 报送率 of monthly progress, issue 17)."""

    target: str
    weight: Decimal = Field(gt=0)
    rule: Literal["progress", "status", "reporting"] = "progress"
    cap: Decimal = Field(default=Decimal("1.0"), gt=0)
    floor: Decimal = Field(default=Decimal(0), ge=0)
    status_share: dict[Literal["green", "yellow", "red"], Decimal] = {
        "green": Decimal(1),
        "yellow": Decimal("0.5"),
        "red": Decimal(0),
    }

    @model_validator(mode="after")
    def _bounds(self) -> ScoringRule:
        if self.floor > self.cap:
            raise ValueError(f"下限 floor（{self.floor}）不能大于上限 cap（{self.cap}）")
        return self


class ScoringItem(Strict):
    """A bonus (points > 0) or penalty (points < 0) item, e.g. a provincial award, a safety incident.
    ``max_count``: how many occurrences count in one year (None: no limit)."""

    id: str = Field(pattern=r"^[a-z][a-z0-9_]{1,40}$")
    name: str
    points: Decimal
    max_count: int | None = Field(default=None, ge=1)
    note: str = ""

    @field_validator("points")
    @classmethod
    def _not_zero(cls, v: Decimal) -> Decimal:
        if v == 0:
            raise ValueError("加减分分值不能为 0")
        return v


class Recommendation(Strict):
    """天工鼎 recommendation (O2): the top ``top_n`` ranks or every area scoring at least
    ``threshold`` (``min_score`` also applies to top_n). Areas tied at the cut-off rank are all
    recommended; ``tie_break`` targets, in order, separate equal scores before ranks are given."""

    method: Literal["top_n", "threshold"] = "top_n"
    top_n: int | None = Field(default=None, ge=1)
    threshold: Decimal | None = None
    min_score: Decimal | None = None

    @model_validator(mode="after")
    def _given(self) -> Recommendation:
        if self.method == "top_n" and self.top_n is None:
            raise ValueError("method 为 top_n 时须给出 top_n（推荐个数）")
        if self.method == "threshold" and self.threshold is None:
            raise ValueError("method 为 threshold 时须给出 threshold（推荐分数线）")
        return self


class Scoring(Strict):
    """The area assessment scheme (O2). The seed document gives no numbers: a shipped scheme with
    ``example: true`` is an example, shown as 示例 wherever its scores appear."""

    clause: str = "O2"
    example: bool = True
    note: str = ""
    annual: Literal["year_end", "mean_of_months"] = "mean_of_months"
    rules: list[ScoringRule] = Field(min_length=1)
    items: list[ScoringItem] = []
    adjustment_limit: Decimal = Field(default=Decimal(5), ge=0)
    tie_break: list[str] = []
    recommendation: Recommendation


class Status(Strict):
    """序时进度 thresholds: green at or above the expected share, yellow within ``yellow_band`` below."""

    yellow_band: Decimal = Field(default=Decimal("0.10"), ge=0, le=1)


class Quota(Strict):
    """任务分解: a target split over the areas. ``year`` None applies to every year of the target's
    period; an entry with a year overrides it for that year. ``example`` marks a split that is not
    the city's own yet (shown as 示例 next to every number it produces)."""

    target: str
    year: int | None = None
    example: bool = False
    note: str = ""
    areas: dict[str, Annotated[Decimal, Field(ge=0)]] = Field(min_length=1)


class Forecast(Strict):
    """Year-end forecast settings. ``fallback_profile``: relative weight of each month's progress,
    used only when no earlier year of the registry or statistics gives a monthly profile (uniform
    weights are a plain run-rate)."""

    fallback_profile: list[Annotated[Decimal, Field(gt=0)]] = Field(
        default=[Decimal(1)] * 12, min_length=12, max_length=12
    )


# Target kinds whose area quotas must add up to the city value (levels and rates do not add).
ADDITIVE_KINDS = {"amount", "count"}


class Reminders(Strict):
    """Reminders of reporting deadlines (issue 17): one before each deadline, ``days_before`` days
    ahead, and one after it for what is still missing. An example value for the city to set."""

    days_before: int = Field(default=3, ge=0, le=27, description="截止前几天发送提醒")
    example: bool = True


class Completeness(Strict):
    """The completeness board's colour bands (issue 17): an on-time rate at or above ``good`` is
    green, at or above ``fair`` yellow, below it red. Example values for the city to set."""

    good: Annotated[Decimal, Field(ge=0, le=1)] = Decimal("0.95")
    fair: Annotated[Decimal, Field(ge=0, le=1)] = Decimal("0.8")
    example: bool = True

    @model_validator(mode="after")
    def _ordered(self) -> Completeness:
        if self.fair > self.good:
            raise ValueError(f"fair（{self.fair}）不能大于 good（{self.good}）")
        return self


class Reporting(Strict):
    """Reporting deadlines: the report for month M is due on day N of month M+1 (issue 5)."""

    progress_due_day: int = Field(default=5, ge=1, le=28, description="月度进度报送截止：次月几日")
    task_due_day: int = Field(default=10, ge=1, le=28, description="任务进展报送截止：次月几日")
    task_clause_prefixes: list[str] = Field(
        default=["T", "P", "O"], description="由责任单位按月报送进展的条款（前缀）"
    )
    reminders: Reminders = Reminders()
    completeness: Completeness = Completeness()


CheckKind = Literal[
    "cumulative_within_total", "cumulative_equipment_within", "robots_within", "outlier", "drop"
]


class CheckRule(Strict):
    """One data check on monthly progress (issue 17): the rule kind (a pure function of
    ``quality/rules.py``), its severity (an error refuses the save, a warning flags the value for
    follow-up), its Chinese message template and its parameters."""

    code: str = Field(pattern=r"^[a-z][a-z0-9_]{1,40}$")
    kind: CheckKind
    severity: Literal["error", "warning"]
    message: str = Field(min_length=1, description="消息模板：{field} {month} {value} {limit} …")
    fields: list[Literal["investment", "equipment_investment", "robots", "cnc"]] = []
    k: Annotated[Decimal, Field(gt=0)] | None = None  # outlier: median absolute deviations
    m: Annotated[Decimal, Field(gt=1)] | None = None  # outlier: times the previous month
    min_months: int = Field(default=4, ge=3, le=60)  # outlier: months of the series before MAD applies

    @model_validator(mode="after")
    def _parameters(self) -> CheckRule:
        if self.kind == "outlier" and self.k is None and self.m is None:
            raise ValueError("outlier 规则须给出 k（中位数绝对偏差倍数）或 m（环比倍数）")
        if self.kind in ("outlier", "drop") and not self.fields:
            raise ValueError(f"{self.kind} 规则须给出 fields（检查的进度字段）")
        return self


class Checks(Strict):
    """Data checks on monthly progress (issue 17, part 4). ``example: true``: the thresholds are
    examples, the plan document sets none."""

    example: bool = True
    rules: list[CheckRule] = []

    @field_validator("rules")
    @classmethod
    def _unique(cls, rules: list[CheckRule]) -> list[CheckRule]:
        seen = [r.code for r in rules]
        doubled = sorted({c for c in seen if seen.count(c) > 1})
        if doubled:
            raise ValueError(f"核查规则代码重复：{'、'.join(doubled)}")
        return rules


class Equipment(Strict):
    """Equipment lines (设备清单, issue 14). ``lines_tolerance``: how far (a ratio) the lines of a
    project may exceed its registered 设备投资 before the import and the form warn."""

    lines_tolerance: Annotated[Decimal, Field(ge=0, le=1)] = Decimal("0.05")
    example: bool = True


class Bank(Strict):
    """A bank of the reference list (P12): loans, batches and bank users name it by ``code``."""

    code: str = Field(pattern=r"^[a-z][a-z0-9-]{1,30}$")
    name: str
    relending: bool = True  # one of the banks the re-lending programme works through


class FinanceEligibility(Strict):
    """Which projects may go on the list pushed to banks (备选项目清单, P12). Example values: the seed
    document gives none."""

    min_total_investment: Annotated[Decimal, Field(ge=0)] = Decimal(20_000_000)
    max_banks: int = Field(default=3, ge=1, le=10)


class Relending(Strict):
    """The re-lending interest-subsidy programme (P12): contracts signed within [signing_from,
    signing_to] may be subsidised; the points and the window are dated parameters (P12.*)."""

    name: str
    reference: str
    signing_from: dt.date
    signing_to: dt.date


class Finance(Strict):
    """Finance (P12, issue 15): the bank reference list, the eligibility of the list pushed to
    banks, the re-lending programme, and whether 贴息 counts towards P11's stacking cap."""

    clause: str = "P12"
    example: bool = True
    banks: list[Bank] = []
    eligibility: FinanceEligibility = FinanceEligibility()
    relending: Relending | None = None
    subsidy_counts_towards_cap: bool = False

    def bank(self, code: str) -> Bank | None:
        return next((b for b in self.banks if b.code == code), None)

    @field_validator("banks")
    @classmethod
    def _unique(cls, banks: list[Bank]) -> list[Bank]:
        for attr in ("code", "name"):
            seen = [getattr(b, attr) for b in banks]
            doubled = sorted({v for v in seen if seen.count(v) > 1})
            if doubled:
                raise ValueError(f"银行{'代码' if attr == 'code' else '名称'}重复：{'、'.join(doubled)}")
        return banks


# The figures of a 亩均数据 row an indicator divides (numerator ÷ denominator), and how people read them
MUJUN_FIELDS = {
    "land": ("用地面积", "亩"),
    "tax": ("税收实际贡献", "元"),
    "value_added": ("工业增加值", "元"),
    "revenue": ("营业收入", "元"),
    "energy": ("综合能耗", "吨标准煤"),
    "emissions": ("主要污染物排放当量", "吨"),
    "rd": ("研发经费支出", "元"),
    "employees": ("年平均职工人数", "人"),
}
MujunField = Literal["land", "tax", "value_added", "revenue", "energy", "emissions", "rd", "employees"]


def _json_number(value: Decimal) -> int | float:
    return int(value) if value == value.to_integral_value() else float(value)


# The scheme's numbers stay JSON numbers in the stored plan (``model_dump(mode="json")``): the YAML
# gave them as numbers, and they re-parse to the same Decimal
Number = Annotated[Decimal, PlainSerializer(_json_number, when_used="json")]


class MujunIndicator(Strict):
    """One indicator of the 亩均 evaluation (P14): numerator ÷ denominator of an enterprise's row,
    scored against the area's benchmark with ``weight`` points (docs/decisions/0018)."""

    id: str = Field(pattern=r"^[a-z][a-z0-9_]{1,40}$")
    name: str
    numerator: MujunField
    denominator: MujunField
    weight: Number = Field(ge=0)


class MujunBonus(Strict):
    """The equipment-renewal bonus (P14 “亩均绩效中对设备更新项目予以加分”): ``points_per_project`` for
    each project completed in the year (竣工日期 in the year, status among ``statuses`` on 31 December)
    whose 设备投资 is at least ``min_equipment_investment`` (yuan), at most ``cap`` in all."""

    min_equipment_investment: Number = Field(ge=0)
    points_per_project: Number = Field(ge=0)
    cap: Number = Field(ge=0)
    statuses: list[str] = Field(default=["竣工", "验收通过", "已兑现"], min_length=1)


class MujunClasses(Strict):
    """Class shares: A = the first ⌊A·n⌋ ranks, B the next ⌊B·n⌋, D the last ⌊D·n⌋, C the rest."""

    A: Number = Field(ge=0, le=1)
    B: Number = Field(ge=0, le=1)
    D: Number = Field(ge=0, le=1)

    @model_validator(mode="after")
    def _total(self) -> MujunClasses:
        if self.A + self.B + self.D > 1:
            raise ValueError(f"A、B、D 类比例之和不能超过 1，实为 {self.A + self.B + self.D}")
        return self


class MujunOverride(Strict):
    """An area's own scheme: any of weights (indicator id → weight), cap, bonus, classes."""

    weights: dict[str, Annotated[Number, Field(ge=0)]] = {}
    cap: Number | None = Field(default=None, gt=0)
    bonus: MujunBonus | None = None
    classes: MujunClasses | None = None
    note: str = ""


class Mujun(Strict):
    """亩均效益综合评价 (P14, issue 16). The seed document gives no numbers: a shipped scheme with
    ``example: true`` is an example. ``cap``: the most an indicator's ratio to its benchmark counts;
    ``tie_break``: the indicator whose value separates equal totals; ``publicity_days``: the 公示
    window; ``areas``: area code → its own values."""

    clause: str = "P14"
    example: bool = True
    reference: str = ""
    indicators: list[MujunIndicator] = Field(min_length=1)
    cap: Number = Field(gt=0)
    tie_break: str
    bonus: MujunBonus
    classes: MujunClasses
    publicity_days: int = Field(default=7, ge=1, le=60)
    areas: dict[str, MujunOverride] = {}

    @model_validator(mode="after")
    def _indicators(self) -> Mujun:
        problems: list[str] = []
        for attr in ("id", "name"):
            seen = [getattr(i, attr) for i in self.indicators]
            for dup in sorted({v for v in seen if seen.count(v) > 1}):
                problems.append(f"indicators: 重复的指标{'标识' if attr == 'id' else '名称'} {dup!r}")
        ids = [i.id for i in self.indicators]
        for i, ind in enumerate(self.indicators):
            if ind.numerator == ind.denominator:
                problems.append(f"indicators[{i}]: 分子与分母不能相同（{ind.numerator}）")
        if self.tie_break not in ids:
            problems.append(f"tie_break: 未定义的指标 {self.tie_break!r}（可选：{'、'.join(ids)}）")
        for code, override in self.areas.items():
            for k in override.weights:
                if k not in ids:
                    problems.append(f"areas.{code}.weights: 未定义的指标 {k!r}（可选：{'、'.join(ids)}）")
        if problems:
            raise ValueError("；".join(problems))
        return self


class Plan(Strict):
    id: str = Field(pattern=r"^[a-z0-9][a-z0-9-]{1,60}$")
    city: City
    document: Document
    start_year: int
    end_year: int
    status: Status = Status()
    reporting: Reporting = Reporting()
    checks: Checks = Checks()
    scoring: Scoring | None = None
    areas: list[Area] = Field(min_length=1)
    units: list[ResponsibleUnit]
    clauses: list[Clause] = Field(min_length=1)
    targets: list[Target]
    statistics: list[Statistic] = []
    parameters: list[Parameter] = []
    programmes: list[Programme] = []
    quotas: list[Quota] = []
    forecast: Forecast = Forecast()
    equipment: Equipment = Equipment()
    finance: Finance = Finance()
    mujun: Mujun | None = None

    @model_validator(mode="after")
    def _references(self) -> Plan:
        problems: list[str] = []
        for name, items, key in (
            ("areas", self.areas, "code"),
            ("units", self.units, "id"),
            ("clauses", self.clauses, "id"),
            ("targets", self.targets, "id"),
            ("statistics", self.statistics, "code"),
            ("parameters", self.parameters, "id"),
            ("programmes", self.programmes, "id"),
        ):
            seen: set[str] = set()
            for i, item in enumerate(items):
                k = getattr(item, key)
                if k in seen:
                    problems.append(f"{name}[{i}].{key}: 重复的标识 {k!r}")
                seen.add(k)
        clause_ids = {c.id for c in self.clauses}
        unit_ids = {u.id for u in self.units}
        area_codes = {a.code for a in self.areas}
        target_ids = {t.id for t in self.targets}
        for i, c in enumerate(self.clauses):
            for u in c.lead_units:
                if u not in unit_ids:
                    problems.append(f"clauses[{i}].lead_units: 未定义的责任单位 {u!r}")
            if isinstance(c.areas, list):
                for a in c.areas:
                    if a not in area_codes:
                        problems.append(f"clauses[{i}].areas: 未定义的区域 {a!r}")
        for section, items in (("targets", self.targets), ("parameters", self.parameters)):
            for i, item in enumerate(items):
                if item.clause not in clause_ids:
                    problems.append(f"{section}[{i}].clause: 未定义的条款 {item.clause!r}")
        for i, t in enumerate(self.targets):
            if t.relative_to is not None and t.relative_to not in target_ids:
                problems.append(f"targets[{i}].relative_to: 未定义的指标 {t.relative_to!r}")
        statistic_codes = {s.code for s in self.statistics}
        for i, t in enumerate(self.targets if self.statistics else []):
            for code in (t.source.statistics, t.source.denominator):
                if code is not None and code not in statistic_codes:
                    problems.append(
                        f"targets[{i}].source: 统计指标 {code!r} 未在 statistics 中定义名称和单位"
                    )
        for i, p in enumerate(self.programmes):
            for a in p.eligibility.areas:
                if a not in area_codes:
                    problems.append(f"programmes[{i}].eligibility.areas: 未定义的区域 {a!r}")
        seen_quota: set[tuple] = set()
        for i, q in enumerate(self.quotas):
            if q.target not in target_ids:
                problems.append(f"quotas[{i}].target: 未定义的指标 {q.target!r}")
            for a in q.areas:
                if a not in area_codes:
                    problems.append(f"quotas[{i}].areas: 未定义的区域 {a!r}")
            if (q.target, q.year) in seen_quota:
                problems.append(f"quotas[{i}]: 指标 {q.target} 的分解重复（同一年度只能有一条）")
            seen_quota.add((q.target, q.year))
        if self.end_year < self.start_year:
            problems.append("end_year: 结束年份早于起始年份")
        if problems:
            raise ValueError("；".join(problems))
        return self

    @model_validator(mode="after")
    def _scoring_references(self) -> Plan:
        if self.scoring is None:
            return self
        problems: list[str] = []
        target_ids = {t.id for t in self.targets}
        if self.scoring.clause not in {c.id for c in self.clauses}:
            problems.append(f"scoring.clause: 未定义的条款 {self.scoring.clause!r}")
        seen: set[str] = set()
        for i, r in enumerate(self.scoring.rules):
            if r.rule == "reporting":
                if r.target not in REPORTING_TARGETS:
                    names = "、".join(REPORTING_TARGETS)
                    problems.append(f"scoring.rules[{i}].target: 报送率计分只能是 {names}，实为 {r.target!r}")
            elif r.target not in target_ids:
                problems.append(f"scoring.rules[{i}].target: 未定义的指标 {r.target!r}")
            if r.target in seen:
                problems.append(f"scoring.rules[{i}].target: 指标 {r.target!r} 重复计分")
            seen.add(r.target)
        for i, t in enumerate(self.scoring.tie_break):
            if t not in seen:
                problems.append(f"scoring.tie_break[{i}]: {t!r} 不是计分指标")
        items = [it.id for it in self.scoring.items]
        for dup in sorted({x for x in items if items.count(x) > 1}):
            problems.append(f"scoring.items: 重复的加减分项 {dup!r}")
        if problems:
            raise ValueError("；".join(problems))
        return self

    def area(self, code: str) -> Area:
        return next(a for a in self.areas if a.code == code)

    def area_name(self, code: str | None) -> str:
        """The name people read for an area code, the city's code or None (the city)."""
        if code is None or code == self.city.code:
            return self.city.name
        return next((a.name for a in self.areas if a.code == code), code)

    def statistic(self, code: str) -> Statistic:
        """The name and unit of a statistic code: from ``statistics``, else from the target that
        reads it as its own value (a plan written before the section existed)."""
        for s in self.statistics:
            if s.code == code:
                return s
        for t in self.targets:
            if t.source.statistics == code and t.kind in ("amount", "count", "level"):
                return Statistic(code=code, name=t.name, unit=t.unit)
        for t in self.targets:
            if t.source.statistics == code and t.kind in ("growth", "average_growth"):
                name = t.name.removesuffix("年均增长").removesuffix("增长")  # 工业投资增长 reads 工业投资
                return Statistic(code=code, name=name, unit="CNY")
        for t in self.targets:
            if code in (t.source.statistics, t.source.denominator):
                return Statistic(code=code, name=f"{t.name}（统计数据）", unit="CNY")
        return Statistic(code=code, name=code, unit="count")  # not read by any target

    def target(self, target_id: str) -> Target:
        return next(t for t in self.targets if t.id == target_id)

    def parameter(self, parameter_id: str) -> Parameter | None:
        return next((p for p in self.parameters if p.id == parameter_id), None)

    def quota(self, target_id: str, year: int) -> Quota | None:
        """The split of a target for a year: the entry for that year, else the one for every year."""
        general = None
        for q in self.quotas:
            if q.target == target_id:
                if q.year == year:
                    return q
                if q.year is None:
                    general = q
        return general

    def quota_warnings(self) -> list[str]:
        """Splits that do not add up to the city target (additive targets only), or leave areas out;
        worded for people (clause and name, figures in their display units)."""
        out: list[str] = []
        names = {a.code: a.short_name for a in self.areas}
        for q in self.quotas:
            t = self.target(q.target)
            when = f"{q.year}年" if q.year else t.period.label
            label = f"{t.clause} {t.name}（{when}）"
            missing = [names[a.code] for a in self.areas if a.code not in q.areas]
            if missing:
                out.append(f"{label}：未分解到 {'、'.join(missing)}")
            if t.kind in ADDITIVE_KINDS and t.value is not None:
                total = sum(q.areas.values(), Decimal(0))
                if total != t.value:
                    word, gap = ("低于", "差") if total < t.value else ("高于", "超出")
                    out.append(
                        f"{label}：各区域分解合计 {figure(total, t.unit)} {word}全市目标 "
                        f"{figure(t.value, t.unit)}（{gap} {figure(abs(t.value - total), t.unit)}）"
                    )
        split = {q.target for q in self.quotas}
        for t in self.targets:
            if t.kind in ADDITIVE_KINDS and t.value is not None and t.id not in split:
                out.append(
                    f"{t.clause} {t.name}（{t.period.label}）：未分解到各区域，"
                    "各区域该项显示“未分解”，不着色、不计入达标指数和考核得分"
                )
        return out

    @model_validator(mode="after")
    def _mujun_references(self) -> Plan:
        if self.mujun is None:
            return self
        problems: list[str] = []
        if self.mujun.clause not in {c.id for c in self.clauses}:
            problems.append(f"mujun.clause: 未定义的条款 {self.mujun.clause!r}")
        area_codes = {a.code for a in self.areas}
        for code in self.mujun.areas:
            if code not in area_codes:
                problems.append(f"mujun.areas: 未定义的区域 {code!r}")
        if problems:
            raise ValueError("；".join(problems))
        return self


class PlanError(Exception):
    """A plan file that cannot be used; ``problems`` are 'file: path: message' lines."""

    def __init__(self, file: str, problems: list[str]):
        self.file = file
        self.problems = problems
        super().__init__("\n".join(problems))


_PYDANTIC_MESSAGES = {
    "missing": "缺少必填字段",
    "extra_forbidden": "未知字段（拼写错误？）",
    "int_parsing": "应为整数",
    "int_type": "应为整数",
    "decimal_parsing": "应为数字",
    "decimal_type": "应为数字",
    "date_from_datetime_parsing": "应为日期（YYYY-MM-DD）",
    "date_parsing": "应为日期（YYYY-MM-DD）",
    "date_type": "应为日期（YYYY-MM-DD）",
    "string_type": "应为文本",
    "list_type": "应为列表",
    "literal_error": "取值不在允许范围内",
    "string_pattern_mismatch": "格式不符",
    "too_short": "不能为空",
    "greater_than_equal": "不能小于下限",
    "less_than_equal": "不能大于上限",
    "bool_parsing": "应为 true/false",
    "model_type": "应为映射（键: 值）",
    "greater_than": "应大于下限",
    "less_than": "应小于上限",
}


def _format_path(loc: tuple) -> str:
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        elif part in {"function-after", "function-before"} or "[" in str(part):
            continue
        else:
            out += f".{part}" if out else str(part)
    return out or "(根)"


def _describe(error: dict) -> str:
    kind = error["type"]
    if kind == "value_error":
        return str(error["msg"]).removeprefix("Value error, ")
    base = _PYDANTIC_MESSAGES.get(kind, error["msg"])
    if kind == "literal_error":
        base += f"（允许：{error.get('ctx', {}).get('expected', '')}）"
    if kind == "string_pattern_mismatch":
        base += f"（应匹配 {error.get('ctx', {}).get('pattern', '')}）"
    if "input" in error and kind not in {"missing", "model_type", "extra_forbidden"}:
        shown = repr(error["input"])
        base += f"，实为 {shown[:60]}"
    return base


def parse_plan(data: object, file: str = "<plan>", *, measures: tuple[str, ...] | None = None) -> Plan:
    """Validate plan data; with ``measures``, a target's ``source.registry`` must be one of them."""
    try:
        return Plan.model_validate(data, context={"measures": measures})
    except ValidationError as exc:
        lines = []
        for err in exc.errors():
            path = _format_path(err["loc"])
            lines.append(f"{file}: {path}: {_describe(err)}")
        raise PlanError(file, lines) from None


def read_plan(path: str | Path) -> Plan:
    """Read and validate a plan file (``plan check``, ``plan load``, ``demo``), its registry
    measures against the known ones. A plan already loaded is parsed without that check, so that a
    measure renamed in code later shows as 未知的登记库指标 on its target instead of failing every page."""
    path = Path(path)
    name = path.name
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise PlanError(name, [f"{name}: 文件不存在"]) from None
    except UnicodeDecodeError:
        raise PlanError(name, [f"{name}: 文件不是 UTF-8 编码"]) from None
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"第 {mark.line + 1} 行第 {mark.column + 1} 列" if mark else "未知位置"
        raise PlanError(name, [f"{name}: {where}: YAML 语法错误（{getattr(exc, 'problem', exc)}）"]) from None
    if not isinstance(data, dict):
        raise PlanError(name, [f"{name}: (根): 方案文件应为映射（键: 值），实为空或列表"])
    return parse_plan(data, name, measures=measures_known())
