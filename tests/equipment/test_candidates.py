"""T9 on a day D, hand-computed (docs/decisions/0016-elimination-matching.md): the candidates still to
renew, the renewed items (eliminated by D and replaced by a project counted on D) and each area's
rate; an elimination after D, a replacement project not counted, an entry not yet in force; the scope
of the records."""

import datetime as dt
from decimal import Decimal

import pytest

from renewal.accounts.scope import scope_for
from renewal.equipment import selectors
from tests.factories import USCC_HAINING, USCC_NANHU

from . import data as D
from .conftest import D_DAY

pytestmark = pytest.mark.django_db

NANHU, HAINING = "330402", "330481"


def numbers(items) -> list[str]:
    return [c.number for c in items]


def test_the_candidates_on_d_are_the_matching_items_not_eliminated_by_then(ledger):
    items = selectors.candidates(scope=scope_for(ledger["city_admin"]), day=D_DAY)
    assert numbers(items) == ["A", "B", "D", "H", "I"]
    b = items[1]
    assert (b.area, b.area_name, b.uscc, b.status, b.original_value) == (
        NANHU,
        "南湖区",
        USCC_NANHU,
        "停用",
        Decimal(250_000),
    )
    assert (b.entry.catalogue, b.entry.number, b.entry.document_no) == (D.CATALOGUE, "1", "测试文号")
    assert items[3].entry.number == "3" and items[3].original_value is None


def test_an_entry_in_force_after_d_adds_its_items_from_its_day(ledger):
    city = scope_for(ledger["city_admin"])
    assert "F" not in numbers(selectors.candidates(scope=city, day=dt.date(2024, 6, 30)))
    assert "F" in numbers(selectors.candidates(scope=city, day=dt.date(2024, 7, 1)))


def test_the_renewal_rate_per_area_is_renewed_over_renewed_and_candidates(ledger):
    rates = {r["area"]: r for r in selectors.renewal_rate(day=D_DAY)}
    # 南湖: C renewed; A, B, D (eliminated after D), H still to renew; E (not counted) in neither
    assert (rates[NANHU]["renewed"], rates[NANHU]["candidates"], rates[NANHU]["rate"]) == (
        1,
        4,
        Decimal("0.2"),
    )
    # 海宁: J eliminated on D itself and HN-2 counted since June; I still to renew; K deleted
    assert (rates[HAINING]["renewed"], rates[HAINING]["candidates"], rates[HAINING]["rate"]) == (
        1,
        1,
        Decimal("0.5"),
    )
    assert rates["330411"] == {
        "area": "330411",
        "name": rates["330411"]["name"],
        "renewed": 0,
        "candidates": 0,
        "rate": None,
    }
    assert len(rates) == 9


def test_before_the_elimination_or_the_replacement_counts_the_item_is_not_renewed(ledger):
    # on 30 April C and E are not eliminated yet: both still to renew, with A, B, D and H
    [nanhu] = selectors.renewal_rate(area=NANHU, day=dt.date(2024, 4, 30))
    assert (nanhu["renewed"], nanhu["candidates"]) == (0, 6)
    [haining] = selectors.renewal_rate(area=HAINING, day=dt.date(2024, 6, 29))
    assert (haining["renewed"], haining["candidates"]) == (0, 2)  # J eliminated on 30 June only
    [haining] = selectors.renewal_rate(area=HAINING, day=dt.date(2024, 8, 1))
    assert (haining["renewed"], haining["candidates"]) == (1, 1)


def test_a_deleted_replacement_project_renews_nothing(ledger):
    from renewal.registry.models import Project

    Project.all_objects.filter(code="NH-2").update(is_deleted=True)
    [nanhu] = selectors.renewal_rate(area=NANHU, day=D_DAY)
    assert (nanhu["renewed"], nanhu["candidates"]) == (0, 4)


def test_each_role_sees_the_candidates_of_its_scope_and_the_viewer_none(ledger):
    def seen(role):
        return numbers(selectors.candidates(scope=scope_for(ledger[role]), day=D_DAY))

    assert seen("city_reviewer") == ["A", "B", "D", "H", "I"]
    assert seen("op_haining") == ["I"]
    assert seen("op_nanhu") == ["A", "B", "D", "H"]
    assert seen("enterprise") == ["A", "B", "D", "H"]
    assert seen("viewer") == [] and seen("outsider") == []
    city = scope_for(ledger["city_admin"])
    assert numbers(selectors.candidates(scope=city, area=HAINING, day=D_DAY)) == ["I"]
    assert numbers(selectors.candidates(scope=city, q=USCC_HAINING[:8], day=D_DAY)) == ["I"]


def test_an_item_of_a_deleted_enterprise_is_no_candidate(ledger):
    from renewal.registry.models import Enterprise

    Enterprise.all_objects.filter(uscc=USCC_HAINING).update(is_deleted=True)
    assert numbers(selectors.candidates(scope=scope_for(ledger["city_admin"]), day=D_DAY)) == [
        "A",
        "B",
        "D",
        "H",
    ]
