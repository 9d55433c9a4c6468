"""基金投资: the provincial high-end equipment fund's investments in enterprises (P12), keyed by
统一社会信用代码 + 基金名称 + 投资日期. Reported by the city administrator (the fund reports to the
city); the enterprise is registered or in this file's 企业 sheet."""

from __future__ import annotations

from renewal.accounts.models import Role
from renewal.finance import rules
from renewal.finance import selectors_loans as selectors
from renewal.finance.models import FundInvestment

from ..spec import AMOUNT_LIMIT, DATE, TEXT, WAN, Column, RowError, Sheet
from ._common import OWNER, owned_check, owned_write, owner_uscc


def check(imp, spec: Sheet, v: dict) -> None:
    owned_check(imp, spec, v)
    problem = rules.amount_problem(v["amount"], "投资金额")
    if problem:
        raise RowError(spec.column("amount"), problem)
    if v["invested_on"] > imp.today:
        raise RowError(spec.column("invested_on"), "投资日期不能晚于今天")


SPEC = Sheet(
    kind="fund-investments",
    name="基金投资",
    label="基金投资",
    key=("uscc", "fund_name", "invested_on"),
    order=63,
    model=FundInvestment,
    columns=(
        OWNER,
        Column("基金名称", "fund_name", TEXT, True, example="示例高端装备产业基金（示例行）", width=26),
        Column(
            "投资日期", "invested_on", DATE, True, comment="日期；不晚于今天", example="2024-05-20", width=12
        ),
        Column(
            "投资金额(万元)",
            "amount",
            WAN,
            True,
            comment="单位：万元（导入后按元保存）；大于 0",
            example=2000,
            warn_above=AMOUNT_LIMIT,
        ),
    ),
    check=check,
    write=owned_write(FundInvestment, ("fund_name", "invested_on", "amount"), ("fund_name", "invested_on")),
    getters={"uscc": owner_uscc},
    rows=selectors.fund_investment_list,
    list_params={"area": "area", "q": "q"},
    scope={"area": "enterprise__area_id", "uscc": "enterprise__uscc"},
    importers=frozenset({Role.CITY_ADMIN}),
)
