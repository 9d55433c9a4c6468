"""The answer built a column at a time (``selectors.items_json``, what ``evaluation`` serves) is the
answer built item by item (``selectors.item_json``, what a stored version keeps), and a column's
point of an enterprise (``Column.point``, its integers computed again) is the point the answer
shows: on random areas with exact ties, zero denominators and a zero benchmark."""

from __future__ import annotations

import random

import pytest

from renewal.mujun import rule
from renewal.mujun.selectors import item_json, items_json, scheme_for
from renewal.planning import schema
from tests.mujun.test_rule_exact import AREA, area


@pytest.mark.parametrize("seed", range(30))
def test_the_columnwise_answer_is_the_answer_item_by_item(jiaxing, seed):
    rng = random.Random(1000 + seed)
    data = jiaxing.model_dump(mode="json")
    if seed % 3 == 1:
        data["mujun"]["areas"] = {AREA: {"weights": {"tax_per_mu": 12.5, "rd_intensity": 0}, "cap": 1.25}}
    result = rule.evaluate_area(
        2024, AREA, area(rng, nice=seed % 2 == 0), scheme_for(schema.parse_plan(data), AREA)
    )
    one_by_one = [item_json(i) for i in result.items]
    assert items_json(result) == one_by_one
    odd = {i.uscc for i in result.items[::2]}
    assert items_json(result, lambda i: i.uscc in odd) == [x for x in one_by_one if x["uscc"] in odd]
    for item, shown in zip(result.items, one_by_one, strict=True):
        for p, out in zip(item.points, shown["points"], strict=True):
            assert out["value"] == (None if p.value is None else float(p.value)) == p.value_float
            assert out["points"] == float(rule.rounded(p.points)) and out["basis"] == p.basis
            assert out["benchmark"] == (None if p.benchmark is None else float(p.benchmark))


def test_an_area_without_items_gives_an_empty_answer(jiaxing):
    assert items_json(rule.evaluate_area(2024, AREA, [], scheme_for(jiaxing, AREA))) == []
