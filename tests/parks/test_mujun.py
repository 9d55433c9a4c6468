"""Park-level 亩均 (T7/T8 informational, the data of P14): Σ 工业增加值 ÷ Σ 用地面积 and Σ 税收 ÷ Σ
用地面积 over a park's member enterprises with a row of the year and land > 0, for the latest year
up to the data date's. Hand-computed on the parks of tests/parks/data.py:

- NH-P2 (南湖, chemical): 南湖测试机械 (2023: 100 亩, 300万 增加值, 50万 税收; 2024: 100 亩, 400万,
  60万) and a second member 南湖二号 (2023: 50 亩, 60万, 10万);
- HN-P1 (海宁): 海宁测试经编 (2022: 20 亩, 80万, 8万; 2023: 0 亩 — not counted);
- a 南湖 enterprise in no park (2023: 10 亩, 900万): never counted.

D = 2023-12-31 → year 2023: NH-P2 (300万 + 60万) ÷ 150 亩 = 24,000 元/亩 = 2.4万元/亩, 税收 60万 ÷ 150 =
4,000 元/亩 = 0.4万元/亩; HN-P1 has no counted row of 2023 (—). D = 2024-12-31 → 2024: NH-P2 400万 ÷ 100
= 4.0万元/亩 (one enterprise). D = 2022-12-31 → 2022: HN-P1 80万 ÷ 20 = 4.0万元/亩.
"""

import datetime as dt
from decimal import Decimal

import pytest

from renewal.mujun.models import AnnualData
from renewal.parks import selectors
from renewal.parks.models import Park, ParkMember
from renewal.registry.models import Enterprise
from tests.factories import USCC_HAINING, USCC_NANHU, USCC_NANHU_NEW, enterprise

pytestmark = pytest.mark.django_db
WAN = Decimal(10_000)
OUTSIDE = "91330402MA2B00002J"


def data(ent, year, land, value_added_wan, tax_wan):
    return AnnualData.objects.create(
        enterprise=ent, year=year, land_mu=land, value_added=value_added_wan * WAN, tax=tax_wan * WAN
    )


@pytest.fixture
def mujun(parks):
    nanhu, haining = Enterprise.objects.get(uscc=USCC_NANHU), Enterprise.objects.get(uscc=USCC_HAINING)
    second = enterprise(USCC_NANHU_NEW, "330402", name="南湖二号化工有限公司")
    ParkMember.objects.create(park=Park.objects.get(code="NH-P2"), enterprise=second)
    data(nanhu, 2023, 100, 300, 50)
    data(nanhu, 2024, 100, 400, 60)
    data(second, 2023, 50, 60, 10)
    data(haining, 2022, 20, 80, 8)
    data(haining, 2023, 0, 100, 10)
    data(enterprise(OUTSIDE, "330402", name="园区外企业"), 2023, 10, 900, 90)
    return parks


def by_area(as_of):
    figures = selectors.figures(as_of=as_of)
    rows = {a.area: a.mujun for a in figures["areas"]}
    return figures, rows


@pytest.mark.parametrize(
    ("as_of", "year", "nanhu", "haining"),
    [
        (dt.date(2024, 1, 15), 2023, ("2.4万元/亩", "0.4万元/亩", 2), ("—", "—", 0)),
        (dt.date(2025, 1, 15), 2024, ("4.0万元/亩", "0.6万元/亩", 1), ("—", "—", 0)),
        (dt.date(2023, 1, 15), 2022, ("—", "—", 0), ("4.0万元/亩", "0.4万元/亩", 1)),
    ],
)
def test_park_level_mujun_per_area_and_city(mujun, as_of, year, nanhu, haining):
    figures, rows = by_area(as_of)
    assert figures["mujun_year"] == year
    got = {code: (m.value_added_text, m.tax_text, m.enterprises) for code, m in rows.items()}
    assert got["330402"] == nanhu and got["330481"] == haining
    city = figures["city"].mujun
    assert (city.value_added_text, city.enterprises) == (
        nanhu[0] if nanhu[2] else haining[0],
        nanhu[2] + haining[2],
    )
    assert f"{year} 年亩均数据" in figures["basis"]["mujun"] and "T7、T8" in figures["basis"]["mujun"]


def test_the_exact_sums_of_a_park(mujun):
    m = selectors.mujun_by_park(2023)[Park.objects.get(code="NH-P2").pk]
    assert (m.enterprises, m.land, m.value_added, m.tax) == (2, 150, 3_600_000, 600_000)
    assert m.value_added_per_mu == 24_000 and m.tax_per_mu == 4_000


def test_a_member_that_left_the_park_no_longer_counts(mujun):
    ParkMember.objects.filter(enterprise__uscc=USCC_NANHU_NEW).update(is_deleted=True)
    _, rows = by_area(dt.date(2024, 1, 15))
    assert (rows["330402"].value_added_text, rows["330402"].enterprises) == ("3.0万元/亩", 1)


def test_before_any_data_the_pages_say_so(parks, client):
    figures, rows = by_area(dt.date(2024, 6, 30))
    assert figures["mujun_year"] is None and rows["330402"].value_added_text == "—"
    assert "暂无亩均数据" in figures["basis"]["mujun"]


def test_the_pages_show_the_park_level_mujun(mujun, client):
    client.force_login(mujun["city_admin"])
    index = client.get("/parks/?as_of=2024-01-15").content.decode()
    assert "园区亩均增加值（2023年）" in index and "2.4万元/亩" in index
    detail = client.get("/parks/NH-P2/?as_of=2024-01-15").content.decode()
    assert "2/2" in detail and ">150<" in detail and "360.00" in detail and "2.4万元/亩" in detail
    assert "0.4万元/亩" in detail
    haining = client.get("/parks/HN-P1/?as_of=2024-01-15").content.decode()
    assert "没有 2023 年的亩均数据" in haining
