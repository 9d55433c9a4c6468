"""Loans of the named users' projects (P12): NH-1 (南湖) pushed to 工商银行, HN-1 (海宁) to 中国银行,
each with a contract of that bank, a drawdown and a repayment."""

import datetime as dt
from decimal import Decimal

import pytest

from renewal.accounts.models import Role
from renewal.finance import services
from renewal.finance.models import BatchItem, LoanBatch
from tests.factories import user

D = dt.date


@pytest.fixture
def loans(people):
    people["bank_icbc"] = user("bank-icbc", Role.BANK, bank="icbc")
    people["bank_boc"] = user("bank-boc", Role.BANK, bank="boc")
    batch = LoanBatch.objects.create(name="第一批", status=LoanBatch.Status.PUSHED)
    for project, bank in ((people["NH"], "icbc"), (people["HN"], "boc")):
        BatchItem.objects.create(batch=batch, project=project, bank=bank, snapshot={}, loan_demand=0)
    admin = people["city_admin"]
    for number, project, bank in (("GH-1", "NH-1", "icbc"), ("ZH-1", "HN-1", "boc")):
        c = services.contract_create(
            user=admin,
            data={
                "number": number,
                "project": project,
                "bank": bank,
                "signed_on": D(2024, 6, 30),
                "amount": Decimal(10_000_000),
                "annual_rate": Decimal("0.0345"),
                "term_months": 36,
                "relending": True,
            },
        )
        services.drawdown_create(user=admin, contract=c, drawn_on=D(2024, 7, 15), amount=Decimal(6_000_000))
        services.repayment_create(user=admin, contract=c, repaid_on=D(2025, 1, 15), amount=Decimal(1_000_000))
    return people
