"""A small registry for the list pages and their exports: 南湖 and 海宁 enterprises with honours,
first-set products, fund allocations to their projects and statistics (``fill(people)``, on top of
the ``people`` fixture)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from renewal.registry.models import FirstSetProduct, Fund, Honour, Statistic
from tests.factories import USCC_NANHU_NEW, enterprise

ODD_NAME = "南湖 A&B 汽配（中文） 有限公司"  # & and spaces and Chinese in one name


def fill(people: dict) -> dict:
    nanhu, haining = people["NH"].enterprise, people["HN"].enterprise
    odd = enterprise(USCC_NANHU_NEW, "330402", name=ODD_NAME, industry_code="36", land_mu=Decimal("12.5"))
    Honour.objects.create(enterprise=nanhu, kind="绿色工厂", level="省级", year=2024)
    Honour.objects.create(enterprise=nanhu, kind="智能工厂", level="市级", year=2023)
    Honour.objects.create(enterprise=haining, kind="未来工厂", level="国家级", year=2024)
    Honour.objects.create(enterprise=odd, kind="数字化车间", level="市级", year=2024)
    FirstSetProduct.objects.create(
        enterprise=nanhu, product_name="数控车床", category="首台套", level="省级", year=2024
    )
    FirstSetProduct.objects.create(
        enterprise=haining, product_name="经编机", category="首批次", level="市级", year=2024
    )
    FirstSetProduct.objects.create(
        enterprise=odd, product_name="=A&B 涂装线", category="浙江制造精品", level="省级", year=2023
    )
    Fund.objects.create(
        year=2024,
        level="省级",
        purpose="设备更新项目补助",
        amount=Decimal(500_000),
        area_id="330402",
        project=people["NH"],
        document_no="浙财企〔2024〕12号",
        granted_on=dt.date(2024, 6, 30),
    )
    Fund.objects.create(
        year=2024,
        level="国家级",
        purpose="技改项目补助",
        amount=Decimal("1234567.89"),
        area_id="330481",
        project=people["HN"],
        document_no="工信部〔2024〕3号",
    )
    # a fund of the city that names no project: not an allocation
    Fund.objects.create(year=2024, level="市级", purpose="市本级工信资金", amount=Decimal(9_000_000))
    for area, period, value in (
        ("330402", "2024-03", Decimal("3000000000.5")),
        ("330402", "2023", Decimal("9000000000")),
        ("330481", "2024-03", Decimal("1000000000")),
        ("330400", "2024-03", Decimal("4000000000.25")),
    ):
        Statistic.objects.create(
            indicator="mfg_investment",
            area_code=area,
            period=period,
            year=int(period[:4]),
            month=int(period[5:] or 12),
            value=value,
        )
    Statistic.objects.create(
        indicator="cnc_rate", area_code="330402", period="2024", year=2024, month=12, value=Decimal("0.615")
    )
    return {"nanhu": nanhu, "haining": haining, "odd": odd}
