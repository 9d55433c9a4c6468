"""Projects and users of the batch tests (P12): two eligible projects, one just below the
threshold, two bank users (icbc = bank A, abc = bank B)."""

from __future__ import annotations

from decimal import Decimal

import pytest

from renewal.accounts.models import Role
from renewal.finance import batches as B
from tests.factories import project, user


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
