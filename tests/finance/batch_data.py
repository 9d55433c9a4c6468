"""Projects and users of the batch tests (P12): two eligible projects, one just below the
threshold, two bank users (icbc = bank A, abc = bank B)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from renewal.accounts.models import Role
from renewal.finance import batches as B
from renewal.finance import services
from tests.factories import project, reach, user


@pytest.fixture
def world(people):
    """``people`` (named users, NH-1 and HN-1, neither with a loan demand) and:

    - NH-E1 (南湖, 在建, 3,000万, asks 1,000万 of icbc and abc);
    - HN-E2 (海宁, 已入库, 2,000万, asks 2,000万 of abc only);
    - NH-X1 (南湖, 1,999.99万: below the threshold);
    - bank users of icbc (bank_a) and abc (bank_b)."""
    nh = people["NH"].enterprise
    nh.contact_person, nh.contact_phone = "张三", "0573-8200001"
    nh.save()
    hn = people["HN"].enterprise
    people["E1"] = project(
        "NH-E1",
        nh,
        total_investment=Decimal(30_000_000),
        equipment_investment=Decimal(18_000_000),
        loan_demand=Decimal(10_000_000),
        intended_banks=["icbc", "abc"],
    )
    people["E2"] = project(
        "HN-E2",
        hn,
        status="已入库",
        total_investment=Decimal(20_000_000),
        loan_demand=Decimal(20_000_000),
        intended_banks=["abc"],
    )
    people["X1"] = project(
        "NH-X1",
        nh,
        total_investment=Decimal(19_999_900),
        loan_demand=Decimal(1_000_000),
        intended_banks=["icbc"],
    )
    people["bank_a"] = user("bank-icbc", Role.BANK, bank="icbc")
    people["bank_b"] = user("bank-abc", Role.BANK, bank="abc")
    return people


def pushed(world, name: str, codes: list[str]):
    """A batch of ``codes`` compiled, reviewed and pushed by the city administrator."""
    admin = world["city_admin"]
    batch = B.batch_compile(name=name, project_codes=codes, user=admin).batch
    B.batch_review(batch=batch, user=world["city_reviewer"])
    return B.batch_push(batch=batch, user=admin)


def _contract(admin, number, project, bank, signed_on, amount, relending):
    return services.contract_create(
        user=admin,
        data={
            "number": number,
            "project": project,
            "bank": bank,
            "signed_on": signed_on,
            "amount": Decimal(amount),
            "annual_rate": Decimal("0.0345"),
            "term_months": 36,
            "relending": relending,
        },
    )


@pytest.fixture
def funnel_world(world):
    """NH-E1 (南湖; icbc, abc) pushed 2024-04-15, HN-E2 (海宁; abc) pushed 2024-07-10, all three
    projects counted since 2024-01-10 (NH-X1 is below the threshold). Contracts:
    - GH-1 icbc / NH-E1, 2024-05-10, 800万, 再贷款; drawn 500万 on 05-20, repaid 100万 on 08-20;
    - NS-2 abc / HN-E2, 2024-07-20, 1,000万, no re-lending; drawn 400万 on 08-01;
    - NS-3 abc / NH-E1, 2024-10-05, 300万, 再贷款 (after the data date 2024-09-30).
    A fund investment of 300万 in NH-E1's enterprise on 2024-06-01."""
    w = world
    D = dt.date
    for key in ("E1", "E2", "X1"):
        reach(w[key], since=D(2024, 1, 10))
    admin = w["city_admin"]
    for name, codes, on in (("第一批", ["NH-E1"], D(2024, 4, 15)), ("第二批", ["HN-E2"], D(2024, 7, 10))):
        batch = B.batch_compile(name=name, project_codes=codes, user=admin).batch
        B.batch_review(batch=batch, user=w["city_reviewer"])
        B.batch_push(batch=batch, user=admin, pushed_on=on)
    c1 = _contract(admin, "GH-1", "NH-E1", "icbc", D(2024, 5, 10), 8_000_000, True)
    services.drawdown_create(user=admin, contract=c1, drawn_on=D(2024, 5, 20), amount=Decimal(5_000_000))
    services.repayment_create(user=admin, contract=c1, repaid_on=D(2024, 8, 20), amount=Decimal(1_000_000))
    c2 = _contract(admin, "NS-2", "HN-E2", "abc", D(2024, 7, 20), 10_000_000, False)
    services.drawdown_create(user=admin, contract=c2, drawn_on=D(2024, 8, 1), amount=Decimal(4_000_000))
    _contract(admin, "NS-3", "NH-E1", "abc", D(2024, 10, 5), 3_000_000, True)
    services.fund_investment_create(
        user=admin,
        data={
            "uscc": w["E1"].enterprise.uscc,
            "fund_name": "浙江省高端装备制造业基金",
            "invested_on": D(2024, 6, 1),
            "amount": Decimal(3_000_000),
        },
    )
    return w
