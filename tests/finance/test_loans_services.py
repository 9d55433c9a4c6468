"""Loan services and rules (P12): versions (a stale edit is a conflict), a contract's bank fixed
once money is drawn, terms that still fit the ledger, deletes into the recycle bin."""

import datetime as dt
from decimal import Decimal

import pytest

from renewal.finance import rules, services
from renewal.finance.models import LoanContract
from renewal.lib.errors import Conflict, Invalid, Refused

D = dt.date


@pytest.mark.parametrize(
    ("signed_on", "months", "end"),
    [
        (D(2024, 6, 30), 36, D(2027, 6, 30)),
        (D(2024, 1, 31), 1, D(2024, 2, 29)),
        (D(2024, 12, 15), 1, D(2025, 1, 15)),
    ],
)
def test_a_term_ends_that_many_calendar_months_after_the_signing(signed_on, months, end):
    assert rules.term_end(signed_on, months) == end


def test_contract_values_are_checked():
    assert rules.contract_problems({"amount": Decimal(0), "annual_rate": Decimal(1), "term_months": 0}) == {
        "amount": "签约金额应大于 0",
        "annual_rate": "年利率应不小于 0% 且小于 100%",
        "term_months": "期限应至少 1 个月",
    }
    assert (
        rules.contract_problems({"amount": Decimal(1), "annual_rate": Decimal("0.0345"), "term_months": 1})
        == {}
    )


@pytest.mark.django_db
def test_a_stale_edit_is_a_conflict(loans):
    c = LoanContract.objects.get(number="GH-1")
    services.contract_update(user=loans["bank_icbc"], contract=c, data={"relending": False}, version=1)
    with pytest.raises(Conflict, match="保存冲突"):
        services.contract_update(user=loans["bank_icbc"], contract=c, data={"relending": True}, version=1)


@pytest.mark.django_db
def test_the_bank_is_fixed_once_money_is_drawn_and_terms_must_fit(loans):
    c = LoanContract.objects.get(number="GH-1")
    with pytest.raises(Invalid, match="已有放款记录，不能把贷款银行"):
        services.contract_update(user=loans["city_admin"], contract=c, data={"bank": "boc"}, version=1)
    with pytest.raises(Invalid, match="超过签约金额 500 万元"):
        services.contract_update(
            user=loans["city_admin"], contract=c, data={"amount": Decimal(5_000_000)}, version=1
        )
    with pytest.raises(Refused):
        services.contract_update(user=loans["op_nanhu"], contract=c, data={"relending": False}, version=1)


@pytest.mark.django_db
def test_a_drawdown_cannot_go_while_a_repayment_needs_it_and_a_contract_goes_with_its_records(loans):
    c = LoanContract.objects.get(number="GH-1")
    with pytest.raises(Invalid, match="删除该放款后"):
        services.drawdown_delete(user=loans["bank_icbc"], drawdown=c.drawdowns.get())
    services.contract_delete(user=loans["city_admin"], contract=c, version=1, reason="录入错误")
    assert not LoanContract.objects.filter(number="GH-1").exists()
    assert c.drawdowns.count() == 0 and c.repayments.count() == 0
