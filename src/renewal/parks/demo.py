"""The parks part of the demo world (T7, T8, T9; issue 16): a dozen parks over the Jiaxing areas, their
member enterprises, smart-park and green-park items, and enterprises' 大气污染防治绩效 ratings.

Two halves, like the finance demo (``finance/demo.py``):

- ``parks_world`` is pure: it reads the registry's whole demo world (``demo.world``, uncut) and a
  seed-derived random stream of its own, and returns plain rows, every dated record dated.
  ``parks_cut`` is that world as known at the end of a month: a smart item started later is absent,
  one built later is still 在建 (without its 建成日期); a green row or a rating of a later year is
  absent.
- ``parks_demo_load`` writes the cut world through the one write path of park records: the import of
  their five sheets (``exchange.services.workbook_import``, decision 0019), as the city
  administrator, so the demo's records pass every check a person's file would (scope, enumerations,
  dates, one park per enterprise) and carry their history.

The parks are examples: their names follow the kinds of parks Jiaxing has (经济技术开发区, 高新区,
化工园区, 小微企业园) and end in （示例）; levels, land, members, items and ratings are invented.
"""

from __future__ import annotations

import datetime as dt
import random
import tempfile
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

import xlsxwriter

from renewal.accounts.scope import scope_for
from renewal.equipment import rules as equipment_rules
from renewal.equipment.models import EliminationEntry
from renewal.exchange import sheets as S
from renewal.exchange.services import workbook_import
from renewal.registry.demo import DemoData, month_end

from . import rules
from .models import EnterpriseRating, GreenParkItem, Park, ParkMember, SmartParkItem

WAN = Decimal(10_000)
# 园区代码, 园区名称, 所属区域, 级别, 类型 — examples (the names are of Jiaxing's kinds of parks)
PARKS = (
    ("SL-YQ-01", "嘉兴经济技术开发区（示例）", "jxedz", "国家级", "经济开发区"),
    ("SL-YQ-02", "嘉兴港区化工新材料园区（示例）", "jxport", "省级", "化工园区"),
    ("SL-YQ-03", "南湖高新技术产业园区（示例）", "330402", "省级", "高新区"),
    ("SL-YQ-04", "南湖区小微企业园（示例）", "330402", "市级", "小微企业园"),
    ("SL-YQ-05", "秀洲高新技术产业开发区（示例）", "330411", "省级", "高新区"),
    ("SL-YQ-06", "嘉善经济技术开发区（示例）", "330421", "国家级", "经济开发区"),
    ("SL-YQ-07", "平湖经济技术开发区（示例）", "330482", "国家级", "经济开发区"),
    ("SL-YQ-08", "独山港化工园区（示例）", "330482", "省级", "化工园区"),
    ("SL-YQ-09", "海盐经济开发区（示例）", "330424", "省级", "经济开发区"),
    ("SL-YQ-10", "海宁经编产业园区（示例）", "330481", "省级", "其他"),
    ("SL-YQ-11", "海宁高新技术产业园区（示例）", "330481", "省级", "高新区"),
    ("SL-YQ-12", "桐乡经济开发区（示例）", "330483", "省级", "经济开发区"),
)
LAND = {"国家级": (30_000, 90_000), "省级": (8_000, 40_000), "市级": (300, 1_500)}  # 亩
MEMBERS = {"小微企业园": (6, 12), "化工园区": (10, 16)}  # others: (8, 20)
CHEMICAL_DIVISIONS = {"26", "28", "29"}  # 化学原料、化学纤维、橡胶和塑料制品
SMART_SHARE = {"视频监控": 0.9, "车辆自动识别门禁": 0.75, "园区智慧大脑": 0.6, "人工智能+": 0.4}
RATED_SHARE = 0.2  # of the member enterprises, the share with a rating (and a few outside parks)


class ParksDemoError(Exception):
    """The parks demo did not import (a bug of the demo, not of the data): the import's issues."""


@dataclass
class ParksWorld:
    parks: list[dict] = field(default_factory=list)  # code, name, area, level, kind, area_mu
    members: list[dict] = field(default_factory=list)  # park, uscc
    smart: list[dict] = field(default_factory=list)  # park, content, status, investment, dates
    green: list[dict] = field(default_factory=list)  # park, category, status, year
    ratings: list[dict] = field(default_factory=list)  # uscc, rating, year


def _day(rng: random.Random, first: dt.date, last: dt.date) -> dt.date:
    return first + dt.timedelta(days=rng.randint(0, max((last - first).days, 0)))


def _renewal_owners(world: DemoData, catalogue: list[dict], day: dt.date) -> set[str]:
    """Credit codes of the enterprises with a ledger item still to renew that matches an entry of
    the (sample) elimination catalogue in force on ``day`` (``equipment.rules.matches``)."""
    return {
        item["enterprise"]
        for item in world.ledger
        if item["status"] in equipment_rules.IN_SERVICE
        and any(equipment_rules.matches(item, e, day) for e in catalogue)
    }


def parks_world(world: DemoData, *, catalogue: list[dict]) -> ParksWorld:
    """The park records of the demo ``world`` (uncut), to the world's last day. ``catalogue``: the
    elimination catalogue's entries (category, prefixes, effective_on) the chemical parks' members'
    ledgers are matched against — a chemical park takes first the enterprises with an item to renew,
    so its page has candidates (T9)."""
    rng = random.Random(world.seed * 7919 + 29)  # a stream of its own
    year = world.through.year
    last_day = month_end(world.through)
    out = ParksWorld()
    renewing = _renewal_owners(world, catalogue, last_day)
    taken: set[str] = set()
    for code, name, area, level, kind in PARKS:
        low, high = LAND[level]
        out.parks.append(
            {
                "code": code,
                "name": name,
                "area": area,
                "level": level,
                "kind": kind,
                "area_mu": Decimal(rng.randint(low // 100, high // 100) * 100),
            }
        )
        pool = sorted((e for e in world.enterprises if e["area"] == area and e["uscc"] not in taken),
                      key=lambda e: e["uscc"])  # fmt: skip
        if kind == rules.CHEMICAL:  # the renewal candidates and the chemical trades first
            pool.sort(key=lambda e: (e["uscc"] not in renewing, e["industry_code"] not in CHEMICAL_DIVISIONS))
            first, rest = pool[:6], pool[6:]
            rng.shuffle(rest)
            pool = first + rest
        else:
            rng.shuffle(pool)
        n = rng.randint(*MEMBERS.get(kind, (8, 20)))
        for e in pool[:n]:
            taken.add(e["uscc"])
            out.members.append({"park": code, "uscc": e["uscc"]})

        # 智慧园区建设 (T7): started in the year before or the world's year; some built
        for content in rules.SMART_CONTENTS:
            if rng.random() >= SMART_SHARE[content] * (0.5 if kind == "小微企业园" else 1):
                continue
            started = _day(rng, dt.date(year - 2, 9, 1), dt.date(year, 8, 31))
            completed = started + dt.timedelta(days=rng.randint(90, 420))
            wan = rng.uniform(300, 3_000) if content in (rules.BRAIN, "人工智能+") else rng.uniform(40, 800)
            out.smart.append(
                {
                    "park": code,
                    "content": content,
                    "status": rules.BUILT if completed <= last_day else "在建",
                    "investment": Decimal(round(wan)) * WAN,
                    "started_on": started,
                    "completed_on": completed if completed <= last_day else None,
                }
            )
        if rng.random() < 0.15:  # a content only planned (no dates)
            missing = [
                c
                for c in rules.SMART_CONTENTS
                if c not in {s["content"] for s in out.smart if s["park"] == code}
            ]
            if missing:
                out.smart.append(
                    {"park": code, "content": missing[0], "status": "计划", "investment": None,
                     "started_on": None, "completed_on": None}
                )  # fmt: skip

        # 绿色园区 (T8): a path 申报 → 创建中 → 已认定 over the years, for some parks
        for category, share in (("低碳园区", 0.55), ("零碳园区", 0.2), (rules.CLEAN, 0.35)):
            if rng.random() >= share:
                continue
            first_year = rng.choice([year - 3, year - 2, year - 2, year - 1, year])
            steps = rules.GREEN_STATUSES[: rng.choice([1, 2, 3, 3])]
            for k, status in enumerate(steps):
                if first_year + k <= year:
                    out.green.append(
                        {"park": code, "category": category, "status": status, "year": first_year + k}
                    )

    # 大气污染防治绩效 (T7): some members and a few enterprises outside parks, rated in the year
    # before and (a later rating replaces it) in the world's year
    members = sorted(taken)
    outside = sorted(e["uscc"] for e in world.enterprises if e["uscc"] not in taken and e["above_scale"])
    rated = rng.sample(members, int(len(members) * RATED_SHARE)) + rng.sample(outside, min(8, len(outside)))
    for uscc in sorted(rated):
        first = rng.choices(rules.RATINGS, weights=[4, 5, 1])[0]
        out.ratings.append({"uscc": uscc, "rating": first, "year": year - 1})
        if rng.random() < 0.5:
            later = rng.choices(rules.RATINGS, weights=[5, 3, 2])[0]
            out.ratings.append({"uscc": uscc, "rating": later, "year": year})
    return out


def parks_cut(pw: ParksWorld, through: dt.date) -> ParksWorld:
    """``pw`` as known at the end of month ``through``: an item started later is absent, one built
    later is 在建 without its 建成日期; green rows and ratings of a later year are absent."""
    end = month_end(through.replace(day=1))
    smart = []
    for s in pw.smart:
        if s["started_on"] is not None and s["started_on"] > end:
            continue
        if s["completed_on"] is not None and s["completed_on"] > end:
            s = {**s, "status": "在建", "completed_on": None}
        smart.append(s)
    return ParksWorld(
        parks=list(pw.parks),
        members=list(pw.members),
        smart=smart,
        green=[g for g in pw.green if g["year"] <= end.year],
        ratings=[r for r in pw.ratings if r["year"] <= end.year],
    )


def _rows(pw: ParksWorld) -> dict[str, list[list]]:
    """The five sheets' rows in their columns (money in 万元)."""
    return {
        "园区": [[p["code"], p["name"], p["area"], p["level"], p["kind"], p["area_mu"]] for p in pw.parks],
        "园区企业": [[m["park"], m["uscc"]] for m in pw.members],
        "智慧园区建设": [
            [
                s["park"],
                s["content"],
                s["status"],
                None if s["investment"] is None else s["investment"] / WAN,
                s["started_on"],
                s["completed_on"],
            ]
            for s in pw.smart
        ],  # fmt: skip
        "绿色园区": [[g["park"], g["category"], g["status"], g["year"]] for g in pw.green],
        "企业环保绩效评级": [[r["uscc"], r["rating"], r["year"]] for r in pw.ratings],
    }


def _workbook(path: Path, sheets: dict[str, list[list]]) -> None:
    wb = xlsxwriter.Workbook(str(path))
    date = wb.add_format({"num_format": "yyyy-mm-dd"})
    for name, rows in sheets.items():
        ws = wb.add_worksheet(name)
        for c, header in enumerate(S.BY_NAME[name].headers):
            ws.write_string(0, c, header)
        for r, row in enumerate(rows, start=1):
            for c, value in enumerate(row):
                if value is None:
                    continue
                if isinstance(value, dt.date):
                    ws.write_datetime(r, c, dt.datetime.combine(value, dt.time()), date)
                elif isinstance(value, Decimal | int | float):
                    ws.write_number(r, c, float(value))
                else:
                    ws.write_string(r, c, str(value))
    wb.close()


def parks_demo_exists() -> bool:
    return Park.all_objects.exists() or EnterpriseRating.all_objects.exists()


def parks_demo_load(*, world: DemoData, through: dt.date, user) -> dict[str, int]:
    """Write the parks demo of ``world`` (the registry's whole demo world, ``demo.world``) as known at
    the end of month ``through``, by importing its five sheets as ``user`` (the city administrator).
    Counts of what was written; {} when the database already has park records (a re-run changes
    nothing). The elimination catalogue is the one loaded (the registry's demo loads the sample)."""
    if parks_demo_exists():
        return {}
    catalogue = list(EliminationEntry.objects.values("category", "prefixes", "effective_on"))
    pw = parks_cut(parks_world(world, catalogue=catalogue), through)
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "parks-demo.xlsx"
        _workbook(path, _rows(pw))
        report = workbook_import(
            path=path, filename=path.name, user=user, scope=scope_for(user), dry_run=False, reason=""
        )
    if not report.committed:
        problems = "；".join(i.line() for i in report.errors[:5])
        raise ParksDemoError(f"园区演示数据未能导入：{problems}")
    return {
        "园区": Park.objects.count(),
        "园区企业": ParkMember.objects.count(),
        "智慧园区建设": SmartParkItem.objects.count(),
        "绿色园区": GreenParkItem.objects.count(),
        "企业环保绩效评级": EnterpriseRating.objects.count(),
    }
