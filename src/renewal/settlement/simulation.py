"""What-if simulation (P11): the registry's projects of a year, each on its equipment lines, under
the current rules and under changed rates/caps, per area and per programme, against the year's
funds. Reads only."""

from __future__ import annotations

import dataclasses
import datetime as dt
import time
from decimal import Decimal

import numpy as np

from renewal.planning import selectors as plans
from renewal.policy.batch import calculate_batch
from renewal.policy.parameters import PolicyData, level_rank

from . import selectors

HIGHER = ("国家级", "省级")


@dataclasses.dataclass
class WhatIf:
    subsidy_cap: Decimal | None = None  # yuan
    first_set_bonus_rate: Decimal | None = None  # fraction
    programmes: dict[str, dict] = dataclasses.field(default_factory=dict)  # id → {rate, cap, min_investment}

    @property
    def empty(self) -> bool:
        return self.subsidy_cap is None and self.first_set_bonus_rate is None and not self.programmes


def apply(data: PolicyData, what_if: WhatIf, date: dt.date) -> PolicyData:
    changed = data
    if what_if.subsidy_cap is not None:
        changed = changed.with_value(
            "P11.subsidy_cap", what_if.subsidy_cap, _since(changed, "P11.subsidy_cap", date)
        )
    if what_if.first_set_bonus_rate is not None:
        pid = "P11.first_set_bonus_rate"
        changed = changed.with_value(pid, what_if.first_set_bonus_rate, _since(changed, pid, date))
    programmes = tuple(
        dataclasses.replace(
            p, **{k: v for k, v in what_if.programmes.get(p.id, {}).items() if v is not None or k == "cap"}
        )
        if p.id in what_if.programmes
        else p
        for p in changed.programmes
    )
    return changed.with_programmes(programmes)


def _since(data: PolicyData, pid: str, date: dt.date) -> dt.date:
    r = data.resolve(pid, date)
    return r.effective_from or date


def simulate(*, year: int, what_if: WhatIf, date: dt.date | None = None) -> dict:
    date = date or dt.date(year, 12, 31)
    current_data = selectors.policy_data()
    changed_data = apply(current_data, what_if, date)
    projects, items, area_codes = selectors.year_columns(year=year, date=date)
    started = time.perf_counter()
    current = calculate_batch(projects, items, current_data, date)
    changed = calculate_batch(projects, items, changed_data, date)
    elapsed = time.perf_counter() - started
    n = len(projects)
    # a project is counted on its equipment lines: one without any has no item and gets nothing
    without_lines = n - len(np.unique(items.project))
    k = len(area_codes)
    valid = projects.area >= 0
    area_current = np.bincount(projects.area[valid], weights=current.subsidy_total[valid], minlength=k)
    area_changed = np.bincount(projects.area[valid], weights=changed.subsidy_total[valid], minlength=k)
    names = {a.code: a.name for a in plans.area_list()}
    short = {a.code: a.short_name for a in plans.area_list()}
    areas = [
        {
            "code": code,
            "name": names.get(code, code),
            "short_name": short.get(code, code),
            "projects": int((projects.area == i).sum()),
            "current": float(area_current[i]),
            "changed": float(area_changed[i]),
            "delta": float(area_changed[i] - area_current[i]),
        }
        for i, code in enumerate(area_codes)
    ]
    programmes = []
    for j, p in enumerate(current_data.programmes):
        q = changed_data.programmes[j]
        programmes.append(
            {
                "id": p.id,
                "name": p.name,
                "level": p.level,
                "example": p.example,
                "rate": float(p.rate),
                "new_rate": float(q.rate),
                "cap": None if p.cap is None else float(p.cap),
                "new_cap": None if q.cap is None else float(q.cap),
                "min_investment": float(p.min_investment),
                "new_min_investment": float(q.min_investment),
                "projects": int((current.amounts[:, j] > 0).sum()),
                "new_projects": int((changed.amounts[:, j] > 0).sum()),
                "current": float(current.amounts[:, j].sum()),
                "changed": float(changed.amounts[:, j].sum()),
            }
        )
    funds = selectors.funds_of_year(year)
    goal = current_data.resolve("P11.provincial_funds_goal", date)

    def by_level(result, higher: bool) -> float:
        cols = [j for j, p in enumerate(current_data.programmes) if (p.level in HIGHER) == higher]
        return float(result.amounts[:, cols].sum()) if cols else 0.0

    budget = [
        {
            "source": "省级以上补助资金",
            "budget": float(funds["higher"]),
            "current": by_level(current, True),
            "changed": by_level(changed, True),
        },
        {
            "source": "市县两级资金",
            "budget": float(funds["local"]),
            "current": by_level(current, False),
            "changed": by_level(changed, False),
        },
    ]
    for b in budget:
        b["current_gap"] = b["budget"] - b["current"]
        b["changed_gap"] = b["budget"] - b["changed"]
    return {
        "year": year,
        "date": date,
        "projects": n,
        "without_lines": without_lines,
        "areas": areas,
        "programmes": programmes,
        "budget": budget,
        "totals": {
            "current": float(current.subsidy_total.sum()),
            "changed": float(changed.subsidy_total.sum()),
            "delta": float(changed.subsidy_total.sum() - current.subsidy_total.sum()),
            "current_capped": int(current.capped.sum()),
            "changed_capped": int(changed.capped.sum()),
            "current_cap": current.parameters["subsidy_cap"],
            "changed_cap": changed.parameters["subsidy_cap"],
        },
        "funds": {
            "higher": float(funds["higher"]),
            "local": float(funds["local"]),
            "goal": float(goal.value) if goal.in_force else None,
            "goal_met": goal.in_force and funds["higher"] >= goal.value,
            "city": float(funds["city"]),
            "city_not_less": funds["city"] >= funds["higher"],
        },
        "elapsed_ms": elapsed * 1000,
        "levels_sorted": sorted({p.level for p in current_data.programmes}, key=level_rank),
    }
