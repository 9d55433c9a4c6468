"""还款: the repayments of a loan contract (P12), keyed by 合同编号 + 还款日期.

A repayment is dated within its contract's term and not before its first drawdown, and never
exceeds what is outstanding on its day (the drawdowns up to that day, this file's 放款 sheet
included, less the earlier repayments). The contract is one of the database or of this file's
贷款 sheet; a bank user names only its own bank's (any other number reads as unknown).
"""

from __future__ import annotations

from renewal.finance import rules
from renewal.finance import selectors_loans as selectors
from renewal.finance.models import Repayment

from ..spec import AMOUNT_LIMIT, CODE, DATE, WAN, Column, Sheet
from . import _loans as L

check, write, finish = L.ledger_kind(rules.REPAYMENT)

SPEC = Sheet(
    kind="repayments",
    name="还款",
    label="还款",
    key=("number", "repaid_on"),
    order=66,
    model=Repayment,
    columns=(
        Column(
            "合同编号",
            "number",
            CODE,
            True,
            comment="贷款合同须已登记或在本文件“贷款”表中",
            example="示例贷字2024第001号",
            width=22,
        ),
        Column(
            "还款日期",
            "repaid_on",
            DATE,
            True,
            comment="在合同期限内，不早于首次放款；每个合同每天一条",
            example="2025-01-15",
            width=12,
        ),
        Column(
            "还款金额(万元)",
            "amount",
            WAN,
            True,
            comment="单位：万元；大于 0；不超过当日贷款余额",
            example=100,
            warn_above=AMOUNT_LIMIT,
        ),
    ),
    check=check,
    write=write,
    finish=finish,
    getters={"number": lambda r: r.contract.number},
    rows=selectors.repayment_list,
    list_params={"bank": "bank", "area": "area", "contract": "contract"},
    scope={
        "area": "contract__project__area_id",
        "uscc": "contract__project__enterprise__uscc",
        "bank": "contract__bank",
    },
    importers=L.LOAN_IMPORTERS,
)
