"""Small factories for registry and finance rows (money in yuan)."""

import datetime as dt
import itertools
from decimal import Decimal

from renewal.finance import models as finance
from renewal.registry import models
from tests.factories import reach

_n = itertools.count(1)
YI = Decimal(100_000_000)
WAN = Decimal(10_000)


def enterprise(area="330481", **kw):
    n = next(_n)
    return models.Enterprise.objects.create(
        uscc=kw.pop("uscc", f"TEST{n:014d}"), name=f"测试企业{n}", area_id=area, industry_code="17", **kw
    )


def project(
    ent=None, *, year=2024, status="在建", key=True, types="技术改造", total=1 * YI, since=None, **kw
):
    """A project in ``status`` since ``since`` (default 1 January of its year)."""
    ent = ent or enterprise()
    n = next(_n)
    p = models.Project.objects.create(
        code=f"P-{n:05d}",
        name=f"测试项目{n}",
        enterprise=ent,
        area_id=ent.area_id,
        year=year,
        status=status,
        provincial_key=key,
        types=types,
        total_investment=total,
        equipment_investment=kw.pop("equipment", total / 2),
        start_date=kw.pop("start", dt.date(year, 1, 10)),
        **kw,
    )
    return reach(p, since=since)


def progress(p, month: str, *, equipment=0, robots=0):
    return models.MonthlyProgress.objects.create(
        project=p,
        month=dt.date.fromisoformat(month + "-01"),
        investment=Decimal(equipment),
        equipment_investment=Decimal(equipment),
        robots=robots,
    )


def honour(ent, kind, level, year):
    return models.Honour.objects.create(enterprise=ent, kind=kind, level=level, year=year)


def first_set(ent, category, level, year, name=None):
    return models.FirstSetProduct.objects.create(
        enterprise=ent, product_name=name or f"产品{next(_n)}", category=category, level=level, year=year
    )


def fund(year, level, amount, area=None, **kw):
    return models.Fund.objects.create(
        year=year, level=level, purpose="测试资金", amount=Decimal(amount), area_id=area, **kw
    )


def statistic(indicator, area, period, value):
    row = models.Statistic(
        indicator=indicator, area_code=area, period=period, value=Decimal(str(value)), year=0, month=0
    )
    row.clean()
    row.save()
    return row


def loan(p, signed_on: dt.date, amount, *, relending=False, bank="icbc"):
    """A loan contract of project ``p`` (the services' checks are the finance tests' business)."""
    return finance.LoanContract.objects.create(
        number=f"HT-{next(_n):05d}",
        project=p,
        bank=bank,
        signed_on=signed_on,
        amount=Decimal(amount),
        annual_rate=Decimal("0.0345"),
        term_months=36,
        relending=relending,
    )


def drawdown(contract, drawn_on: dt.date, amount):
    return finance.Drawdown.objects.create(contract=contract, drawn_on=drawn_on, amount=Decimal(amount))


def fund_investment(ent, invested_on: dt.date, amount, fund_name="省高端装备基金"):
    return finance.FundInvestment.objects.create(
        enterprise=ent, fund_name=fund_name, invested_on=invested_on, amount=Decimal(amount)
    )
