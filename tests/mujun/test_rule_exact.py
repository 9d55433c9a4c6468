"""The fast evaluation (scaled integers, floats with exact re-ordering of near ties) gives what the
rational formula of docs/decisions/0018 gives, written here directly in Fractions, on random areas
with exact ties, zero denominators, a zero benchmark, non-integer weights and values on a half cent;
and rows read as ``Scaled`` integers are evaluated like the same rows in Decimals."""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal
from fractions import Fraction

import pytest

from renewal.mujun import rule
from renewal.mujun.selectors import LAYOUT, item_json, scheme_for
from renewal.planning import schema

AREA = "330402"


def reference(facts: list[rule.Facts], scheme: rule.Scheme, year: int = 2024) -> list[dict]:
    """The evaluation in plain Fractions, item by item in rank order."""
    evaluated = [f for f in facts if f.figures is not None and f.figures["land"] > 0]
    cap = Fraction(scheme.cap)
    out = []
    for f in evaluated:
        points = []
        for ind in scheme.indicators:
            num, den = Fraction(f.figures[ind.numerator]), Fraction(f.figures[ind.denominator])
            total_num = sum((Fraction(g.figures[ind.numerator]) for g in evaluated), Fraction(0))
            total_den = sum((Fraction(g.figures[ind.denominator]) for g in evaluated), Fraction(0))
            if den == 0:
                value, ratio = None, (cap if num > 0 else Fraction(0))
            else:
                value = num / den
                ratio = Fraction(0) if total_num == 0 else min(value / (total_num / total_den), cap)
            points.append((value, ratio, Fraction(ind.weight) * ratio))
        codes = rule.qualifying_projects(year, f.projects, scheme.bonus)
        bonus = min(Fraction(scheme.bonus.points_per_project) * len(codes), Fraction(scheme.bonus.cap))
        score = sum((p[2] for p in points), Fraction(0))
        tie = points[[i.id for i in scheme.indicators].index(scheme.tie_break)]
        tie_key = (1, Fraction(0)) if tie[0] is None and tie[1] > 0 else (0, tie[0] or Fraction(0))
        out.append(
            {"f": f, "points": points, "score": score, "bonus": bonus, "total": score + bonus, "tie": tie_key}
        )
    out.sort(key=lambda r: (-r["total"], -r["tie"][0], -r["tie"][1], r["f"].uscc))
    return out


def figures(rng: random.Random, nice: bool) -> dict:
    if nice:  # round figures: many exact ties, ratios at the cap, values on a half cent
        return {
            "land": Decimal(rng.choice([0, 100, 200, 50])),
            "tax": Decimal(rng.choice([0, 100, 150, 200, 333]) * 10_000),
            "value_added": Decimal(rng.choice([0, 1000, 1001]) * 10_000),
            "revenue": Decimal(10_000_000),
            "energy": Decimal(rng.choice([0, 1000, 3])),
            "emissions": Decimal(rng.choice([0, 10, 7])),
            "rd": Decimal(rng.choice([0, 30, 31]) * 10_000),
            "employees": rng.choice([0, 100, 3]),
        }
    d = lambda top, places: Decimal(rng.randint(0, top)).scaleb(-places)  # noqa: E731
    return {
        "land": d(3000, 1) if rng.random() < 0.95 else Decimal(0),
        "tax": d(10**9, 2),
        "value_added": d(10**10, 2),
        "revenue": d(10**11, 2) + 1,
        "energy": d(10**8, 4) if rng.random() < 0.9 else Decimal(0),
        "emissions": d(10**6, 4),
        "rd": d(10**9, 2) if rng.random() < 0.9 else Decimal(0),
        "employees": rng.randint(0, 3000),
    }


def area(rng: random.Random, nice: bool) -> list[rule.Facts]:
    out, last = [], None
    for i in range(rng.randint(1, 40)):
        f = dict(last) if last and rng.random() < 0.15 else figures(rng, nice)  # identical figures
        last = f
        projects = tuple(
            rule.ProjectFacts(f"P{i}-{k}", rng.choice(["竣工", "在建", "已兑现", None]),
                              rng.choice([dt.date(2024, 5, 1), dt.date(2023, 5, 1), None]),
                              Decimal(rng.choice([4_999_999, 5_000_000, 9_000_000])))
            for k in range(rng.choice([0, 0, 1, 3]))
        )  # fmt: skip
        out.append(rule.Facts(uscc=f"91330402MA{rng.randint(0, 10**7):07d}{i:02d}", name=f"E{i}", area=AREA,
                              figures=f, projects=projects))  # fmt: skip
    return out


@pytest.mark.parametrize("seed", range(40))
def test_the_fast_evaluation_is_the_rational_formula(jiaxing, seed):
    rng = random.Random(seed)
    data = jiaxing.model_dump(mode="json")
    if seed % 3 == 1:  # an area's own non-integer weight, a zero weight and another cap
        data["mujun"]["areas"] = {AREA: {"weights": {"tax_per_mu": 12.5, "rd_intensity": 0}, "cap": 1.25}}
    scheme = scheme_for(schema.parse_plan(data), AREA)
    facts = area(rng, nice=seed % 2 == 0)
    got = rule.evaluate_area(2024, AREA, facts, scheme)
    want = reference(facts, scheme)
    assert [i.uscc for i in got.items] == [r["f"].uscc for r in want]
    for item, r in zip(got.items, want, strict=True):
        assert (item.score, item.bonus, item.total, item.tie_value) == (
            r["score"],
            r["bonus"],
            r["total"],
            r["tie"],
        )
        shown = item_json(item)
        assert (shown["score"], shown["total"]) == (
            float(rule.rounded(r["score"])),
            float(rule.rounded(r["total"])),
        )
        for p, (value, ratio, points), out in zip(item.points, r["points"], shown["points"], strict=True):
            assert (p.value, p.ratio, p.points) == (value, ratio, points)
            assert out["value"] == (None if value is None else float(value))
            assert out["points"] == float(rule.rounded(points))
            assert f"× {rule.rounded(ratio, 4)} = {rule.rounded(points)}（P14，示例）" in p.basis


def test_rows_read_as_scaled_integers_are_evaluated_like_decimals(jiaxing):
    rng = random.Random(99)
    facts = area(rng, nice=False)
    scheme = scheme_for(jiaxing, AREA)

    def scaled(f: rule.Facts) -> rule.Facts:
        ints = tuple(int(Decimal(f.figures[k]).scaleb(places)) for k, (_, places) in LAYOUT.items())
        return rule.Facts(
            uscc=f.uscc, name=f.name, area=AREA, figures=rule.Scaled(ints, LAYOUT), projects=f.projects
        )

    as_decimals = [item_json(i) for i in rule.evaluate_area(2024, AREA, facts, scheme).items]
    as_integers = [
        item_json(i) for i in rule.evaluate_area(2024, AREA, [scaled(f) for f in facts], scheme).items
    ]
    assert as_integers == as_decimals
    assert scaled(facts[0]).figures == facts[0].figures  # a mapping of the same Decimals
