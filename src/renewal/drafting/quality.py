"""Score a draft against a reviewed plan file (the ground truth). Pure: plain data in and out.

A target is found when a drafted target of the same clause has the same value, unit and period
(relative targets: the same comparator and a reference to the found target). A clause's lead units
are found when the drafted clause of the same id names the same units. A parameter stated in the
document is found when a drafted item of its clause carries its value.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from renewal.planning import schema


@dataclass
class Score:
    found: list[str] = field(default_factory=list)
    missed: list[str] = field(default_factory=list)
    false: list[str] = field(default_factory=list)

    @property
    def line(self) -> str:
        return f"{len(self.found)}/{len(self.found) + len(self.missed)}，误报 {len(self.false)}"


def _period(p: dict | schema.Period | None) -> dict:
    if isinstance(p, schema.Period):
        return {p.kind: getattr(p, p.kind)}
    return dict(p or {})


def _same_value(a, b) -> bool:
    if a is None or b is None:
        return a is b
    return Decimal(str(a)) == Decimal(str(b))


def score_targets(draft: dict, plan: schema.Plan) -> Score:
    score = Score()
    matched: dict[str, str] = {}  # truth id → draft id
    for t in plan.targets:
        if t.kind == "relative":
            continue
        hit = next(
            (
                d
                for d in draft["targets"]
                if d["clause"] == t.clause
                and d["unit"] == t.unit
                and _same_value(d["value"], t.value)
                and _period(d["period"]) == _period(t.period)
                and d["id"] not in matched.values()
            ),
            None,
        )
        label = f"{t.id} {t.display}（{t.period.label}）"
        if hit:
            matched[t.id] = hit["id"]
            score.found.append(label)
        else:
            score.missed.append(label)
    for t in plan.targets:
        if t.kind != "relative":
            continue
        hit = next(
            (
                d
                for d in draft["targets"]
                if d["clause"] == t.clause
                and d["kind"] == "relative"
                and d.get("relative_to") == matched.get(t.relative_to)
                and d["comparator"] == t.comparator
            ),
            None,
        )
        (score.found if hit else score.missed).append(f"{t.id} {t.display}")
        if hit:
            matched[t.id] = hit["id"]
    for d in draft["targets"]:
        if d["id"] not in matched.values():
            score.false.append(f"{d['id']} {d['display']}：{d['source_text']}")
    return score


def score_lead_units(draft: dict, plan: schema.Plan) -> Score:
    score = Score()
    truth_names = {u.id: u.name for u in plan.units}
    draft_names = {u["id"]: u["name"] for u in draft["units"]}
    drafted = {c["id"]: {draft_names.get(u, u) for u in c["lead_units"]} for c in draft["clauses"]}
    for c in plan.clauses:
        for u in c.lead_units:
            label = f"{c.id} {truth_names[u]}"
            (score.found if truth_names[u] in drafted.get(c.id, set()) else score.missed).append(label)
        expected = {truth_names[u] for u in c.lead_units}
        score.false += [f"{c.id} {name}" for name in sorted(drafted.get(c.id, set()) - expected)]
    return score


def score_parameters(draft: dict, plan: schema.Plan, document_number: str) -> Score:
    """Parameters the document itself states (reference names the document)."""
    score = Score()
    for p in plan.parameters:
        if document_number not in p.reference or not isinstance(p.values[-1].value, int | Decimal):
            continue
        value = p.values[-1].value
        items = [x["values"][-1]["value"] for x in draft["parameters"] if x["clause"] == p.clause]
        items += [x["value"] for x in draft["targets"] if x["clause"] == p.clause]
        hit = any(_same_value(v, value) for v in items if v is not None)
        (score.found if hit else score.missed).append(f"{p.id} = {value}")
    return score
