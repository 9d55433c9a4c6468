"""The informational figures of T7/T8 (no targets), hand-computed on two data dates and a third
(docs/decisions/0019-parks.md). The records (tests/parks/data.py, plus a 2024 downgrade of 南湖's
enterprise to B级):

- 园区智慧大脑 建成: NH-P1 on 2024-03-15, HN-P1 on 2024-06-30 (视频监控 of NH-P1 is not a brain);
- ratings: 南湖 enterprise A级 2023, B级 2024; 海宁 enterprise 引领性 2024;
- green: NH-P1 低碳园区 已认定 2023; HN-P1 零碳园区 已认定 2024, 清新园区 创建中 2024.
"""

import datetime as dt

import pytest

from renewal.accounts.scope import scope_for
from renewal.parks import selectors
from renewal.parks.models import EnterpriseRating
from renewal.registry.models import Enterprise
from tests.factories import USCC_HAINING, USCC_NANHU

from .conftest import CITY

pytestmark = pytest.mark.django_db


@pytest.fixture
def downgraded(parks):
    EnterpriseRating.objects.create(
        enterprise=Enterprise.objects.get(uscc=USCC_NANHU), rating="B级", year=2024
    )
    return parks


def counts(as_of: dt.date) -> dict:
    data = selectors.figures(as_of=as_of)
    by_area = {a.area: a for a in data["areas"]}
    pick = ("parks", "brain", "a_level", "low_carbon", "low_carbon_year", "clean")
    out = {code: tuple(getattr(by_area[code], f) for f in pick) for code in ("330402", "330481")}
    out["city"] = tuple(getattr(data["city"], f) for f in pick)
    out["data_date"] = data["data_date"]
    return out


@pytest.mark.parametrize(
    ("as_of", "expected"),
    [
        # D = 2023-12-31: no brain yet; 南湖's A级 of 2023 counts; NH-P1 recognised in 2023
        (
            dt.date(2024, 1, 1),
            {"330402": (2, 0, 1, 1, 1, 0), "330481": (1, 0, 0, 0, 0, 0), "city": (3, 0, 1, 1, 1, 0)},
        ),
        # D = 2024-03-31: NH-P1's brain (03-15), not HN-P1's (06-30); 南湖 downgraded to B级 in 2024,
        # 海宁's 引领性 of 2024 counts from 1 January; HN-P1's 零碳 of 2024 recognised this year
        (
            dt.date(2024, 4, 15),
            {"330402": (2, 1, 0, 1, 0, 0), "330481": (1, 0, 1, 1, 1, 0), "city": (3, 1, 1, 2, 1, 0)},
        ),
        # D = 2024-06-30: both brains
        (
            dt.date(2024, 6, 30),
            {"330402": (2, 1, 0, 1, 0, 0), "330481": (1, 1, 1, 1, 1, 0), "city": (3, 2, 1, 2, 1, 0)},
        ),
    ],
)
def test_the_figures_are_counted_on_the_data_date(downgraded, as_of, expected):
    got = counts(as_of)
    assert got.pop("data_date") == selectors.data_date(as_of)
    assert got == expected


def test_a_recognised_clean_park_and_a_deleted_park_are_counted_as_such(downgraded):
    from renewal.parks.models import GreenParkItem, Park

    GreenParkItem.objects.filter(category="清新园区").update(status="已认定")
    assert counts(dt.date(2024, 6, 30))["330481"][5] == 1
    Park.objects.filter(code="HN-P1").update(is_deleted=True)
    assert counts(dt.date(2024, 6, 30))["330481"] == (0, 0, 1, 0, 0, 0)  # the rating is the enterprise's


def test_the_drill_down_lists_the_records_behind_a_figure_within_the_scope(downgraded):
    day = dt.date(2024, 6, 30)
    brain = selectors.figure_records(scope=CITY, figure="brain", as_of=day)
    assert [p.code for p in brain["rows"]] == ["NH-P1", "HN-P1"]
    rated = selectors.figure_records(scope=CITY, figure="a_level", as_of=day)
    assert [(r.enterprise.uscc, r.rating, r.year) for r in rated["rows"]] == [(USCC_HAINING, "引领性", 2024)]
    early = selectors.figure_records(scope=CITY, figure="a_level", as_of=dt.date(2024, 1, 1))
    assert [(r.enterprise.uscc, r.rating) for r in early["rows"]] == [(USCC_NANHU, "A级")]
    nanhu = scope_for(downgraded["op_nanhu"])
    assert [p.code for p in selectors.figure_records(scope=nanhu, figure="brain", as_of=day)["rows"]] == [
        "NH-P1"
    ]
    low = selectors.figure_records(scope=nanhu, figure="low_carbon", as_of=day, area="330481")
    assert low["rows"] == []  # 海宁's parks are not 南湖's records
