"""放款: the drawdowns of a loan contract (P12), keyed by 合同编号 + 放款日期.

A drawdown is dated within its contract's term (签约日期 to 签约日期 + 期限); a contract's drawdowns
never add up to more than its signed amount. The contract is one of the database or of this
file's 贷款 sheet; a bank user names only its own bank's (any other number reads as unknown).
After the sheet, each contract's drawdowns and repayments are checked in date order
(``finance.rules.ledger_problems``).
"""

from __future__ import annotations

from renewal.finance import rules
from renewal.finance import selectors_loans as selectors
from renewal.finance.models import Drawdown

from ..spec import AMOUNT_LIMIT, CODE, DATE, WAN, Column, Sheet
from . import _loans as L

check, write, finish = L.ledger_kind(rules.DRAWDOWN)

SPEC = Sheet(
    kind="drawdowns",
    name="放款",
    label="放款",
    key=("number", "drawn_on"),
    order=65,
    model=Drawdown,
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
            "放款日期",
            "drawn_on",
            DATE,
            True,
            comment="在合同期限内（签约日期至签约日期加期限）；每个合同每天一条",
            example="2024-07-15",
            width=12,
        ),
        Column(
            "放款金额(万元)",
            "amount",
            WAN,
            True,
            comment="单位：万元；大于 0；累计不超过签约金额",
            example=600,
            warn_above=AMOUNT_LIMIT,
        ),
    ),
    check=check,
    write=write,
    finish=finish,
    getters={"number": lambda d: d.contract.number},
    rows=selectors.drawdown_list,
    list_params={"bank": "bank", "area": "area", "contract": "contract"},
    scope={
        "area": "contract__project__area_id",
        "uscc": "contract__project__enterprise__uscc",
        "bank": "contract__bank",
    },
    importers=L.LOAN_IMPORTERS,
)
