"""The 20 enterprises of cases.py in 南湖 as registry records with their 亩均数据 of 2024 and their
projects (statuses through transitions, as of 31 December), plus one 海宁 enterprise."""

import datetime as dt
from decimal import Decimal

import pytest

from renewal.accounts.models import Role
from renewal.accounts.scope import Scope
from renewal.exchange import services as exchange
from renewal.mujun.models import AnnualData
from tests.factories import enterprise, project, reach

from . import cases as C

CITY = Scope(role=Role.CITY_ADMIN)
FIELDS = {
    "land": "land_mu",
    "tax": "tax",
    "value_added": "value_added",
    "revenue": "revenue",
    "energy": "energy_tce",
    "emissions": "emissions_t",
    "rd": "rd_expense",
    "employees": "employees",
}


def row(ent, name, tax, year=C.YEAR):
    f = C.figures(name, tax)
    return AnnualData.objects.create(enterprise=ent, year=year, **{FIELDS[k]: v for k, v in f.items()})


@pytest.fixture
def area(people):
    """people (named users; 南湖测试机械 is the enterprise user's own, without a 亩均 row) and the area."""
    out = {}
    for name, (number, tax) in (C.TAX | C.NOT_EVALUATED).items():
        ent = enterprise(C.uscc(number), "330402", name=name)
        row(ent, name, tax)
        out[name] = ent
        for code, status, end, inv in C.PROJECTS.get(name, []):
            p = project(code, ent, status="在建", end_date=end, equipment_investment=Decimal(str(inv)))
            reach(p, since=dt.date(end.year, 1, 1))
            if status != "在建":
                reach(p, status, since=end)
    # BO-5 reached 竣工 only in 2025: 在建 on 31 December 2024
    reach(project("BO-6", out["BO"], status="在建", end_date=dt.date(2024, 12, 20),
                  equipment_investment=Decimal(9_000_000)), since=dt.date(2024, 1, 1))  # fmt: skip
    reach(out["BO"].projects.get(code="BO-6"), "竣工", since=dt.date(2025, 1, 5))
    haining = people["HN"].enterprise
    row(haining, "HN", 100)
    row(out["P"], "P", 10, year=2023)  # another year: not read for 2024
    people["area"] = out
    return people


@pytest.fixture
def run_import(loaded_plan):
    def run(path, *, dry_run=False, user=None, scope=CITY):
        return exchange.workbook_import(
            path=path, filename=path.name, user=user, scope=scope, dry_run=dry_run, reason=""
        )

    return run
