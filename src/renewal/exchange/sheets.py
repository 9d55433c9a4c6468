"""The import sheets of DESIGN.md ("Import sheets"): one sheet per kind, Chinese headers with units.

Pure data: the headers are the contract (never rename them), each column says how its cells are
read (``kind``), whether it must be filled, which enumeration it takes and what the header comment
explains. Templates, the importer, the annotated copy and the exports all read these tables.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

# Column kinds: how a cell is read (cells.py) and written (export.py, template.py).
TEXT = "text"  # trimmed text
CODE = "code"  # identifier: trimmed, full-width folded (project code, indicator code)
USCC = "uscc"  # 统一社会信用代码 (GB 32100-2015)
AREA = "area"  # area name, alias or code → area code
INDUSTRY = "industry"  # GB/T 4754-2017 manufacturing code
BOOL = "bool"  # 是/否/Y/N
INT = "int"  # non-negative integer (台, 人)
YEAR = "year"
WAN = "wan"  # amount in 万元 in the sheet, yuan in the database
DECIMAL = "decimal"  # non-negative decimal in the unit of the header (亩, 吨标准煤)
VALUE = "value"  # any decimal (statistics: base units, may be negative)
DATE = "date"
MONTH = "month"  # YYYY-MM → first day of the month
ENUM = "enum"  # one value of a reference enumeration
ENUMS = "enums"  # one or more values of a reference enumeration, joined by 、 or ,
PERIOD = "period"  # YYYY or YYYY-MM

WAN_IN_YUAN = Decimal(10_000)


@dataclass(frozen=True)
class Column:
    header: str
    field: str
    kind: str
    required: bool = False
    enum: str | None = None  # reference enumeration (registry/data/enumerations.yaml)
    comment: str = ""
    example: Any = None
    warn_above: Decimal | None = None  # a larger value is implausible: warn, do not block
    width: int = 14


@dataclass(frozen=True)
class Sheet:
    kind: str  # stable English id (CLI, URLs)
    name: str  # the sheet name, as in DESIGN.md
    columns: tuple[Column, ...]
    key: tuple[str, ...]  # natural key (fields) of an upsert
    label: str = ""
    fields_by_header: dict[str, Column] = field(init=False, repr=False, compare=False)
    warned: tuple[Column, ...] = field(init=False, repr=False, compare=False)  # with warn_above

    def __post_init__(self) -> None:
        object.__setattr__(self, "fields_by_header", {header_key(c.header): c for c in self.columns})
        object.__setattr__(self, "warned", tuple(c for c in self.columns if c.warn_above is not None))

    @property
    def headers(self) -> list[str]:
        return [c.header for c in self.columns]

    def column(self, field_name: str) -> Column:
        return next(c for c in self.columns if c.field == field_name)


def header_key(text: Any) -> str:
    """Headers match after folding full-width characters and dropping spaces: 总投资（万元） = 总投资(万元)."""
    return "".join(unicodedata.normalize("NFKC", str(text or "")).split())


YES_NO = "是 / 否（也接受 Y / N）"
# The example row of the templates (row 2) uses this fictitious but well-formed credit code; the
# importer skips row 2 when it equals the template's example exactly.
EXAMPLE_USCC = "91330402MA2EKAMP1N"
AMOUNT_LIMIT = Decimal(1_000_000)  # 万元 = 100 亿元: beyond this an amount probably was typed in yuan

ENTERPRISES = Sheet(
    kind="enterprises",
    name="企业",
    label="企业",
    key=("uscc",),
    columns=(
        Column(
            "统一社会信用代码",
            "uscc",
            USCC,
            True,
            comment="18 位，按 GB 32100-2015 校验",
            example=EXAMPLE_USCC,
            width=22,
        ),
        Column(
            "企业名称",
            "name",
            TEXT,
            True,
            comment="营业执照上的全称",
            example="示例汽配有限公司（示例行，导入前请删除）",
            width=28,
        ),
        Column(
            "所属区域",
            "area",
            AREA,
            True,
            comment="区域名称、别名或代码（见下拉列表）",
        ),
        Column(
            "行业代码",
            "industry_code",
            INDUSTRY,
            True,
            comment="GB/T 4754-2017 制造业代码，13–43 开头（2–4 位）",
            example="36",
            width=10,
        ),
        Column(
            "是否规上", "above_scale", BOOL, comment=f"规模以上工业企业：{YES_NO}", example="是", width=10
        ),
        Column(
            "用地面积(亩)",
            "land_mu",
            DECIMAL,
            comment="单位：亩；可空",
            example=120,
            warn_above=Decimal(100_000),
        ),
        Column(
            "从业人员(人)",
            "employees",
            INT,
            comment="单位：人；可空",
            example=900,
            warn_above=Decimal(200_000),
        ),
        Column("高新技术企业", "high_tech", BOOL, comment=YES_NO, example="否", width=12),
        Column("集成电路企业", "ic_enterprise", BOOL, comment=YES_NO, example="否", width=12),
        Column("工业母机企业", "machine_tool_enterprise", BOOL, comment=YES_NO, example="否", width=12),
    ),
)

PROJECTS = Sheet(
    kind="projects",
    name="项目",
    label="项目",
    key=("code",),
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
        Column("状态", "status", ENUM, True, enum="project_statuses", example="在建", width=12),
    ),
)

PROGRESS = Sheet(
    kind="progress",
    name="月度进度",
    label="月度进度",
    key=("code", "month"),
    columns=(
        Column(
            "项目编号",
            "code",
            CODE,
            True,
            comment="项目须已登记或在本文件“项目”表中",
            example="示例-2024-001",
            width=16,
        ),
        Column(
            "月份(YYYY-MM)", "month", MONTH, True, comment="当月，如 2024-03", example="2024-02", width=14
        ),
        Column(
            "完成投资(万元)",
            "investment",
            WAN,
            comment="单位：万元；当月完成",
            example=30000,
            warn_above=AMOUNT_LIMIT,
        ),
        Column(
            "完成设备投资(万元)",
            "equipment_investment",
            WAN,
            comment="单位：万元；不大于完成投资",
            example=18000,
            warn_above=AMOUNT_LIMIT,
            width=16,
        ),
        Column("机器人到位(台)", "robots", INT, comment="单位：台", example=6, warn_above=Decimal(10_000)),
        Column(
            "数控机床到位(台)",
            "cnc",
            INT,
            comment="单位：台",
            example=2,
            warn_above=Decimal(10_000),
            width=16,
        ),
    ),
)

HONOURS = Sheet(
    kind="honours",
    name="试点示范",
    label="试点示范",
    key=("uscc", "kind", "level", "year"),
    columns=(
        Column(
            "统一社会信用代码",
            "uscc",
            USCC,
            True,
            comment="企业须已登记或在本文件“企业”表中",
            example=EXAMPLE_USCC,
            width=22,
        ),
        Column("类型", "kind", ENUM, True, enum="honour_kinds", example="绿色工厂", width=20),
        Column("级别", "level", ENUM, True, enum="levels", example="国家级", width=10),
        Column("年度", "year", YEAR, True, example=2024, width=8),
    ),
)

FIRST_SETS = Sheet(
    kind="first-sets",
    name="首台套",
    label="首台套",
    key=("uscc", "product_name", "category", "year"),
    columns=(
        Column(
            "统一社会信用代码",
            "uscc",
            USCC,
            True,
            comment="企业须已登记或在本文件“企业”表中",
            example=EXAMPLE_USCC,
            width=22,
        ),
        Column("产品名称", "product_name", TEXT, True, example="示例数控车床（示例行）", width=24),
        Column("类别", "category", ENUM, True, enum="first_set_categories", example="首台套", width=12),
        Column("级别", "level", ENUM, True, enum="levels", example="省级", width=10),
        Column("年度", "year", YEAR, True, example=2024, width=8),
    ),
)

STATISTICS = Sheet(
    kind="statistics",
    name="统计指标",
    label="统计指标",
    key=("indicator", "area_code", "period"),
    columns=(
        Column(
            "指标代码",
            "indicator",
            CODE,
            True,
            comment="方案文件中统计来源的指标代码，见下拉列表",
            width=24,
        ),
        Column(
            "区域",
            "area_code",
            AREA,
            True,
            comment="区域名称、别名或代码；全市填城市代码或城市名称",
        ),
        Column(
            "期间",
            "period",
            PERIOD,
            True,
            comment="YYYY-MM 为 1–M 月累计，YYYY 为全年",
            example="2024-03",
            width=10,
        ),
        Column(
            "数值",
            "value",
            VALUE,
            True,
            comment="基本单位：金额为元，比例为小数（55% 填 0.55）",
            example=1234567890,
            width=18,
        ),
    ),
)

SHEETS: tuple[Sheet, ...] = (ENTERPRISES, PROJECTS, PROGRESS, HONOURS, FIRST_SETS, STATISTICS)
BY_NAME = {s.name: s for s in SHEETS}
BY_KIND = {s.kind: s for s in SHEETS}
# Sheets of our own templates that are not data (drop-down lists, notes): skipped silently.
AUXILIARY_SHEETS = {"选项", "说明", "填写说明"}
ERROR_COLUMN = "错误说明"  # the column the annotated copy adds; ignored on re-import


def sheet_for(name_or_kind: str) -> Sheet | None:
    text = (name_or_kind or "").strip()
    return BY_NAME.get(text) or BY_KIND.get(text.lower())
