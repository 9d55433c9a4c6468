"""The 亩均 part of the demo world (P14, issue 16): one 亩均数据 row per 规上 enterprise
(``above_scale``) for the year before the plan and the plan's first year (2023 and 2024).

Two halves, like the finance demo (``finance/demo.py``):

- ``mujun_world`` is pure: it reads the registry's demo world (``demo.world``) and a seed-derived
  random stream of its own (the rest of the demo is the same with or without it) and returns plain
  dicts, one per enterprise and year, in the services' shape (money in yuan).
- ``mujun_demo_load`` writes them through ``services.annual_data_create`` (the one write path), so
  every row passes the checks a person's would; a database that already has 亩均数据 is left alone.

The figures (demo assumptions, not facts): 用地面积 and 年平均职工人数 of 2024 are the enterprise
record's (the registry shows the same land); 2023's land is the same but for a few enterprises that
took new land in 2024. Per mu, 税收 is log-normal (median about 35万元/亩, a long tail; a few
losses pay none), 增加值 3–4 × 税收, 营业收入 4–6 × 增加值 (at least 2,000万元: 规上), 综合能耗 such
that 单位能耗增加值 is 1–3万元/吨标准煤 (a handful use none), 研发 1–5 % of revenue; 2024 is 2023 ×
a growth around 6 % with noise. Each area's Σ增加值 ÷ Σ用地 is scaled to the area's 亩均工业增加值
statistic of the same world (G10: 205万元/亩 in 2023 and 218万元/亩 in 2024 for the city, under
the 260万元/亩 target), so the rows and the statistics tell one story.
"""

from __future__ import annotations

import math
import random
from decimal import Decimal

from django.db import transaction

from renewal.registry.demo import DemoData

from . import services
from .models import AnnualData

WAN = Decimal(10_000)
SALT = 23  # the stream of this demo: random.Random(seed * 7919 + SALT)
STATISTIC = "value_added_per_mu"  # the demo's statistic of G10 (亩均工业增加值), yuan per mu
DEFAULT_VALUE_ADDED_PER_MU = 2_000_000.0  # when the world has no such statistic
MEDIAN_TAX_PER_MU = 350_000.0  # yuan per mu, before an area's scaling
TAX_SIGMA = 0.9  # log-normal spread of 亩均税收: a long tail
LOSS_SHARE = 0.03  # enterprises that pay no tax in a year (a loss)
NO_ENERGY_SHARE = 0.01  # enterprises that report no energy use
NEW_LAND_SHARE = 0.08  # enterprises whose 2024 land includes a plot taken in 2024
MIN_REVENUE = 20_000_000.0  # 规上: 营业收入 ≥ 2,000万元


def _money(value: float) -> Decimal:
    """Whole 万元, as the sheets are filled."""
    return (Decimal(round(value / 10_000)) * WAN).quantize(Decimal("0.01"))


def _quantity(value: float, places: int) -> Decimal:
    return Decimal(str(round(value, places)))


def _targets(world: DemoData, years: tuple[int, int]) -> dict[tuple[str, int], float]:
    """(area code, year) → the world's 亩均工业增加值 statistic for the full year (yuan per mu)."""
    periods = {str(years[0]): years[0], f"{years[1]}-12": years[1], str(years[1]): years[1]}
    return {
        (s["area_code"], periods[s["period"]]): float(s["value"])
        for s in world.statistics
        if s["indicator"] == STATISTIC and s["period"] in periods
    }


def mujun_world(world: DemoData) -> list[dict]:
    """The 亩均数据 rows of the demo ``world`` (uncut): for every 规上 enterprise, one row for the
    year before the world's year and one for its year; dicts of ``services.annual_data_create``
    (uscc, year, figures in yuan, 亩, 吨标准煤, 吨, 人), by enterprise then year."""
    rng = random.Random(world.seed * 7919 + SALT)  # a stream of its own
    years = (world.through.year - 1, world.through.year)
    above = [e for e in world.enterprises if e["above_scale"]]
    drawn = []
    for e in above:  # the same number of draws for every enterprise: the streams stay aligned
        land = Decimal(e["land_mu"])
        new_land = rng.random() < NEW_LAND_SHARE
        land_before = _quantity(float(land) * rng.uniform(0.6, 0.95), 1) if new_land else land
        tax_per_mu = rng.lognormvariate(math.log(MEDIAN_TAX_PER_MU), TAX_SIGMA)
        growth = rng.lognormvariate(math.log(1.06), 0.08)  # of 2024's 增加值 on 2023's
        loss = (rng.random() < LOSS_SHARE, rng.random() < LOSS_SHARE)
        tax_ratio = (rng.uniform(3.0, 4.0), rng.uniform(3.0, 4.0))  # 增加值 ÷ 税收
        # 增加值 before the area's scaling; a plot taken in 2024 adds nothing yet; a loss-making
        # year has little value added and no tax
        base = tax_per_mu * float(land_before) * tax_ratio[0]
        raw = (base * (0.4 if loss[0] else 1.0), base * growth * (0.4 if loss[1] else 1.0))
        drawn.append(
            {
                "e": e,
                "land": (land_before, land),
                "employees": (max(1, round(e["employees"] / rng.uniform(0.96, 1.06))), e["employees"]),
                "raw": raw,
                "loss": loss,
                "tax_ratio": tax_ratio,
                "revenue_ratio": (rng.uniform(4.0, 6.0), rng.uniform(0.95, 1.05)),
                "per_energy": rng.uniform(1.0, 3.0) * 10_000,  # 单位能耗增加值, yuan per tce
                "energy_gain": rng.uniform(1.0, 1.08),  # 2024's gain in 单位能耗增加值
                "no_energy": rng.random() < NO_ENERGY_SHARE,
                "per_emission": rng.lognormvariate(math.log(1_500_000), 0.6),  # yuan per t
                "emission_gain": rng.uniform(1.0, 1.12),
                "rd_share": (rng.uniform(0.01, 0.05), rng.uniform(0.9, 1.1)),
            }
        )

    # each area's Σ增加值 ÷ Σ用地 of a year: the world's statistic (G10)
    targets = _targets(world, years)
    scale: dict[tuple[str, int], float] = {}
    for k, year in enumerate(years):
        for area in {d["e"]["area"] for d in drawn}:
            mine = [d for d in drawn if d["e"]["area"] == area]
            land = sum(float(d["land"][k]) for d in mine)
            raw = sum(d["raw"][k] for d in mine)
            target = targets.get((area, year), DEFAULT_VALUE_ADDED_PER_MU)
            scale[area, year] = target * land / raw if raw else 1.0

    rows = []
    for d in drawn:
        e = d["e"]
        for k, year in enumerate(years):
            value_added = d["raw"][k] * scale[e["area"], year]
            ratio, noise = d["revenue_ratio"]
            revenue = max(value_added * ratio * (noise if k else 1.0), MIN_REVENUE)
            per_energy = d["per_energy"] * (d["energy_gain"] if k else 1.0)
            per_emission = d["per_emission"] * (d["emission_gain"] if k else 1.0)
            share, noise = d["rd_share"]
            rows.append(
                {
                    "uscc": e["uscc"],
                    "year": year,
                    "land_mu": d["land"][k],
                    "tax": Decimal("0.00") if d["loss"][k] else _money(value_added / d["tax_ratio"][k]),
                    "value_added": max(_money(value_added), WAN),
                    "revenue": _money(revenue),
                    "energy_tce": Decimal(0) if d["no_energy"] else _quantity(value_added / per_energy, 1),
                    "emissions_t": _quantity(value_added / per_emission, 2),
                    "rd_expense": _money(revenue * share * (noise if k else 1.0)),
                    "employees": d["employees"][k],
                }
            )
    return rows


def mujun_demo_exists() -> bool:
    return AnnualData.all_objects.exists()


@transaction.atomic
def mujun_demo_load(*, world: DemoData, user) -> dict[str, int]:
    """Write the 亩均数据 of ``world`` (the registry's demo world, ``demo.world``) through the
    services as ``user`` (the city administrator). Counts of what was written; {} when the database
    already has 亩均数据 (a re-run changes nothing)."""
    if mujun_demo_exists():
        return {}
    rows = mujun_world(world)
    for data in rows:
        services.annual_data_create(user=user, data=data)
    return {
        "亩均数据": len(rows),
        "企业": len({r["uscc"] for r in rows}),
    }
