"""The informational equipment figures (issue 14, item 6), hand-computed at the data date of
2024-07-15 (D = 2024-06-30): T6 国产设备投资占比 and T3 省级及以上首台套设备投资 over the lines of the
projects counted on D acquired by D (a lease without a date counts); T9 beside them; the cockpit's
card shows them with their clauses and no target, and the drill-down lists the lines behind."""

import datetime as dt
from decimal import Decimal

import pytest

from renewal.equipment import indicators
from renewal.equipment.models import EquipmentLine
from tests.factories import project

pytestmark = pytest.mark.django_db

AS_OF = dt.date(2024, 7, 15)


def line(p, number, *, price=None, quantity=1, fee=None, origin="国产", level="无", on=dt.date(2024, 4, 1)):
    acquisition = "租赁" if fee is not None else "购置"
    return EquipmentLine.objects.create(
        project=p,
        number=number,
        name=f"设备{number}",
        category="通用设备",
        acquisition=acquisition,
        unit_price=None if price is None else Decimal(price),
        quantity=quantity if acquisition == "购置" else None,
        lease_fee=None if fee is None else Decimal(fee),
        origin=origin,
        first_set_level=level,
        acquired_on=on,
    )


@pytest.fixture
def lines(ledger):
    nh2 = ledger["NH"].enterprise.projects.get(code="NH-2")  # counted since 2024-03-01
    line(nh2, 1, price=100_000, quantity=3)  # 国产 300,000
    line(nh2, 2, price=200_000, origin="进口", level="省级", on=dt.date(2024, 5, 1))  # 首台套 200,000
    line(nh2, 3, fee=50_000, on=None)  # a lease without a date: 国产 50,000
    line(nh2, 4, price=999_999, on=dt.date(2024, 7, 1))  # acquired after D: out
    line(nh2, 5, price=80_000, quantity=2, level="国家级", on=dt.date(2024, 6, 30))  # 国产 首台套 160,000
    line(nh2, 6, price=1, quantity=None, on=None)  # a purchase without a date: out
    line(ledger["NH"], 1, price=1_000_000)  # NH-1 is not counted: out
    hn2 = ledger["HN"].enterprise.projects.get(code="HN-2")  # counted since 2024-06-01
    line(hn2, 1, price=500_000, origin="进口", on=dt.date(2024, 6, 10))
    late = project("NH-3", ledger["NH"].enterprise, since=dt.date(2024, 7, 1))  # counted after D
    line(late, 1, price=700_000)
    return ledger


def test_the_figures_of_each_area_and_of_the_city(lines):
    data = indicators.figures(as_of=AS_OF)
    assert data["day"] == dt.date(2024, 6, 30)
    by_area = {a.area: a for a in data["areas"]}
    nanhu = by_area["330402"]
    assert (nanhu.lines_total, nanhu.domestic, nanhu.first_set) == (
        Decimal(710_000),
        Decimal(510_000),
        Decimal(360_000),
    )
    assert nanhu.domestic_share == Decimal(510_000) / Decimal(710_000)
    assert (nanhu.renewed, nanhu.candidates, nanhu.renewal_rate) == (1, 4, Decimal("0.2"))
    haining = by_area["330481"]
    assert (haining.lines_total, haining.domestic, haining.domestic_share, haining.first_set) == (
        Decimal(500_000),
        Decimal(0),
        Decimal(0),
        Decimal(0),
    )
    other = by_area["330411"]
    assert (other.lines_total, other.domestic_share, other.renewal_rate) == (Decimal(0), None, None)
    city = data["city"]
    assert (city.name, city.lines_total, city.domestic, city.first_set) == (
        "全市",
        Decimal(1_210_000),
        Decimal(510_000),
        Decimal(360_000),
    )
    assert (city.renewed, city.candidates, city.renewal_rate) == (2, 5, Decimal(2) / Decimal(7))


def test_the_counted_lines_are_what_the_figures_sum(lines):
    qs = indicators.counted_lines(day=dt.date(2024, 6, 30), area="330402")
    assert sorted(qs.values_list("number", "line_amount")) == [
        (1, Decimal(300_000)),
        (2, Decimal(200_000)),
        (3, Decimal(50_000)),
        (5, Decimal(160_000)),
    ]


def test_the_cockpit_card_shows_the_figures_with_their_clauses_and_no_target(client, lines):
    client.force_login(lines["viewer"])  # aggregates: the viewer reads them, without record links
    text = client.get("/cockpit/", {"year": 2024, "as_of": AS_OF.isoformat()}).content.decode()
    assert "设备指标（信息性，未设目标）" in text
    assert "数据截至 2024年6月（2024-06-30）" in text
    assert ">T9<" in text and ">T6<" in text and ">T3<" in text and "均未设目标" in text
    assert "71.8%" in text and "36.00万元" in text and "20.0%" in text  # 南湖: 51/71, 首台套, T9
    assert "42.1%" in text and "28.6%" in text  # the city: 51/121 国产, T9 2/7
    assert "/equipment/lines/" not in text and "/equipment/candidates/" not in text


def test_the_card_links_the_city_to_the_records_behind(client, lines):
    client.force_login(lines["city_admin"])
    text = client.get("/cockpit/", {"year": 2024, "as_of": AS_OF.isoformat()}).content.decode()
    assert "/equipment/lines/?area=330402&amp;as_of=2024-07-15&amp;origin=%E5%9B%BD%E4%BA%A7" in text
    assert "/equipment/candidates/?area=330402&amp;date=2024-06-30" in text


def test_the_drill_down_lists_the_lines_behind_within_the_scope(client, lines):
    client.force_login(lines["city_admin"])
    params = {"as_of": AS_OF.isoformat(), "area": "330402", "first_set": "1"}
    text = client.get("/equipment/lines/", params).content.decode()
    assert "共 2 项，合计 36.00 万元" in text and 'href="/registry/projects/NH-2/"' in text
    text = client.get("/equipment/lines/", {"as_of": AS_OF.isoformat(), "origin": "国产"}).content.decode()
    assert "共 3 项，合计 51.00 万元" in text
    client.force_login(lines["op_haining"])
    text = client.get("/equipment/lines/", {"as_of": AS_OF.isoformat(), "area": "330402"}).content.decode()
    assert "共 1 项，合计 50.00 万元" in text and "NH-2" not in text  # its own area whatever it asks
