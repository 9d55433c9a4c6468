"""The columnwise evaluation (``fast.evaluate_area``, what the selectors serve) is the reference
(``rule.evaluate_area``): the same items in the same order, the same exact values, the same answer
in JSON — on random areas with exact ties, zero denominators, a zero benchmark, values on a half
cent and at the cap (where the floats hand the points to the rule's exact loop), figures too large
for a float, and on the registry's rows."""

from __future__ import annotations

import random
from decimal import Decimal

import pytest

from renewal.mujun import fast, rule, selectors
from renewal.mujun.selectors import item_json, items_json, scheme_for
from renewal.planning import schema
from tests.mujun.test_rule_exact import AREA, area

from . import cases as C


def both(facts, scheme):
    return rule.evaluate_area(2024, AREA, facts, scheme), fast.evaluate_area(
        2024, AREA, fast.Table.of(facts), scheme
    )


def assert_same(want: rule.AreaResult, got: rule.AreaResult) -> None:
    assert (got.evaluated, got.benchmarks, got.class_sizes) == (
        want.evaluated,
        want.benchmarks,
        want.class_sizes,
    )
    assert [item_json(i) for i in got.items] == [item_json(i) for i in want.items]
    assert items_json(got) == items_json(want)
    for g, w in zip(got.items, want.items, strict=True):
        assert (g.score, g.bonus, g.total, g.tie_value) == (w.score, w.bonus, w.total, w.tie_value)
        for p, q in zip(g.points, w.points, strict=True):
            assert (p.value, p.ratio, p.points, p.value_float) == (q.value, q.ratio, q.points, q.value_float)


def scheme(jiaxing, seed: int) -> rule.Scheme:
    data = jiaxing.model_dump(mode="json")
    if seed % 3 == 1:  # an area's own non-integer weight, a zero weight and another cap
        data["mujun"]["areas"] = {AREA: {"weights": {"tax_per_mu": 12.5, "rd_intensity": 0}, "cap": 1.25}}
    return scheme_for(schema.parse_plan(data), AREA)


@pytest.mark.parametrize("seed", range(60))
def test_the_columnwise_evaluation_is_the_reference(jiaxing, seed):
    facts = area(random.Random(seed), nice=seed % 2 == 0)
    assert_same(*both(facts, scheme(jiaxing, seed)))


def test_points_near_a_rounding_or_the_cap_are_decided_by_the_exact_loop(jiaxing, monkeypatch):
    decided = []
    exact = rule._points
    monkeypatch.setattr(rule, "_points", lambda ind, a, *rest: decided.append(len(a)) or exact(ind, a, *rest))
    # round figures: ratios exactly at the cap (1.25 or 1.5), values and points on a half cent
    by_the_loop = []
    for seed in range(0, 40, 2):
        facts = area(random.Random(seed), nice=True)
        want = rule.evaluate_area(2024, AREA, facts, scheme(jiaxing, seed))
        before = len(decided)
        got = fast.evaluate_area(2024, AREA, fast.Table.of(facts), scheme(jiaxing, seed))
        by_the_loop += decided[before:]  # the points of each call: only those near a boundary
        assert_same(want, got)
    assert by_the_loop and all(0 < k < 40 for k in by_the_loop)


def test_figures_beyond_a_floats_integers_give_the_exact_values(jiaxing):
    rng = random.Random(7)
    facts = area(rng, nice=False)
    big = Decimal("9876543210987654.32")  # 18 digits: 亩均数据's widest figure, 2⁶³ > it > 2⁵³
    for i, f in enumerate(facts[::3]):
        f.figures["tax"] = big - i
        f.figures["land"] = Decimal("0.0001")
    want, got = both(facts, scheme(jiaxing, 0))
    assert_same(want, got)
    assert any(p.value_float > 2**53 for i in got.items for p in i.points if p.value_float)


def test_an_area_without_evaluated_enterprises_gives_no_item(jiaxing):
    land_zero = [f for f in area(random.Random(3), nice=False)]
    for f in land_zero:
        f.figures["land"] = Decimal(0)
    for facts in ([], land_zero):
        want, got = both(facts, scheme(jiaxing, 0))
        assert got.items == [] and (got.benchmarks, got.class_sizes) == (want.benchmarks, want.class_sizes)


@pytest.mark.django_db
def test_the_selectors_columnwise_answer_is_the_references_on_the_registry(registry_area):
    for year in (C.YEAR, C.YEAR - 1):
        got, want = selectors.evaluate(year), selectors.evaluate(year, reference=True)
        assert [r.area for r in got] == [r.area for r in want] and got
        for g, w in zip(got, want, strict=True):
            assert_same(w, g)


@pytest.fixture
def registry_area(request):
    return request.getfixturevalue("area")
