"""亩均数据 (P14, issue 16): an enterprise's figures of one year for the 亩均 evaluation, keyed by
统一社会信用代码 + 年度. Money in 万元 in the sheet, yuan in the database; land in 亩, energy in
吨标准煤, emissions in 吨 (当量). Kept by the area (the city administrator and the area operators
import it); an enterprise user reads its own rows."""

from __future__ import annotations

from decimal import Decimal

from renewal.mujun import rules
from renewal.mujun import selectors as mujun
from renewal.mujun.models import AnnualData

from ..spec import AMOUNT_LIMIT, DECIMAL, INT, WAN, YEAR, Column, RowError, Sheet
from ._common import OWNER, owned_check, owned_write, owner_uscc

FIELDS = (
    "year",
    "land_mu",
    "tax",
    "value_added",
    "revenue",
    "energy_tce",
    "emissions_t",
    "rd_expense",
    "employees",
)


def check(imp, spec: Sheet, v: dict) -> None:
    owned_check(imp, spec, v)
    for field, message in rules.data_problems(v).items():
        raise RowError(spec.column(field), message)


def _wan(
    header: str, field: str, example, comment: str = "单位：万元（导入后按元保存）；不能为负数"
) -> Column:
    return Column(
        header, field, WAN, True, comment=comment, example=example, warn_above=AMOUNT_LIMIT, width=16
    )


SPEC = Sheet(
    kind="mujun-data",
    name="亩均数据",
    label="亩均数据",
    key=("uscc", "year"),
    order=67,
    model=AnnualData,
    columns=(
        OWNER,
        Column("年度", "year", YEAR, True, comment="评价所用数据的年度", example=2024, width=8),
        Column(
            "用地面积(亩)",
            "land_mu",
            DECIMAL,
            True,
            comment="单位：亩；最多 4 位小数；为 0 的企业不参加评价",
            example=120,
            warn_above=Decimal(100_000),
        ),
        _wan("税收实际贡献(万元)", "tax", 1500),
        _wan("工业增加值(万元)", "value_added", 9000),
        _wan("营业收入(万元)", "revenue", 36000),
        Column(
            "综合能耗(吨标准煤)",
            "energy_tce",
            DECIMAL,
            True,
            comment="单位：吨标准煤；最多 4 位小数",
            example=4200,
            width=16,
        ),
        Column(
            "主要污染物排放当量(吨)",
            "emissions_t",
            DECIMAL,
            True,
            comment="单位：吨（当量）；最多 4 位小数",
            example=35.5,
            width=18,
        ),
        _wan("研发经费支出(万元)", "rd_expense", 1100),
        Column("年平均职工人数(人)", "employees", INT, True, comment="单位：人；整数", example=320, width=14),
    ),
    check=check,
    write=owned_write(AnnualData, FIELDS, ("year",)),
    getters={"uscc": owner_uscc},
    rows=mujun.annual_data_list,
    list_params={"area": "area", "year": "year", "q": "q"},
    scope={"area": "enterprise__area_id", "uscc": "enterprise__uscc"},
)
