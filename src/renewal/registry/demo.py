"""Deterministic demo data for a plan: a realistic city, same seed → same data.

Pure: builds plain dicts from the plan (areas, focus industries) and a seed; ``services``
writes them. Nothing here is specific to one city: names, industries and quantities follow the
plan file's areas and targets.

There is one world per seed: it always runs to December of the plan's first year (``last_month``)
with the same random draws, and ``build(through=M)`` is that world as known at the end of M
(``cut``): whatever is dated after M (progress, workflow steps, completions, honours, first-set
products, funds, statistics) is absent. So a figure at a data date ≤ M is the same whatever M the
demo was loaded with, and a forecast made at M can be judged against the full year
(bench/forecast.py).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import random
from dataclasses import dataclass, field
from decimal import Decimal

from renewal.planning import schema

from . import reference, workflow
from .uscc import ALPHABET
from .uscc import _uscc as stdnum_uscc

WAN = Decimal(10_000)
YI = Decimal(100_000_000)
# Demo assumption, not a fact: a back-loaded monthly profile of investment (relative weight of
# each month's spending), heavier towards the year end.
MONTH_PROFILE = [5, 6, 7, 8, 8, 9, 9, 9, 9, 9, 10, 11]

SYLLABLES = "恒华嘉鑫永宏瑞金天盛博新宇中海联科信泰达源通丰隆昌益诚立创佳久晨锦明润禾"
INDUSTRY_WORDS = {
    "13": ["食品"],
    "14": ["食品"],
    "15": ["饮料"],
    "17": ["纺织", "经编", "袜业", "针织"],
    "18": ["服饰", "针织服装"],
    "19": ["皮革"],
    "20": ["木业"],
    "21": ["家具"],
    "22": ["纸业"],
    "23": ["印务"],
    "24": ["文体用品"],
    "25": ["能源"],
    "26": ["化工", "新材料"],
    "27": ["医药"],
    "28": ["化纤"],
    "29": ["塑业", "橡塑"],
    "30": ["建材", "玻璃"],
    "31": ["钢铁"],
    "32": ["铝业"],
    "33": ["五金", "金属制品"],
    "34": ["机械", "紧固件", "通用设备"],
    "35": ["智能装备", "专用设备"],
    "36": ["汽车零部件", "汽配"],
    "37": ["船舶配件"],
    "38": ["电气", "光伏科技"],
    "39": ["电子", "通信技术", "微电子"],
    "40": ["仪器仪表"],
    "41": ["制品"],
    "42": ["再生资源"],
    "43": ["设备维修"],
}
# Weight of each area in the city's enterprise population, by area kind.
KIND_WEIGHT = {"district": 1.0, "county": 1.1, "city": 1.3, "zone": 0.6}
# The issuer of a fund's 文号, by level (demo documents: the numbers are made up).
FUND_DOCUMENT = {"国家级": "财建", "省级": "浙财企", "市级": "嘉财企"}
STATUS_MIX = [
    ("草稿", 4),
    ("已申报", 7),
    ("区县审核通过", 6),
    ("已入库", 14),
    ("在建", 38),
    ("竣工", 15),
    ("验收通过", 9),
    ("已兑现", 4),
    ("退回", 2),
    ("撤销", 1),
]


@dataclass
class DemoData:
    seed: int
    through: dt.date
    enterprises: list[dict] = field(default_factory=list)
    projects: list[dict] = field(default_factory=list)
    progress: list[dict] = field(default_factory=list)
    honours: list[dict] = field(default_factory=list)
    first_sets: list[dict] = field(default_factory=list)
    catalogue: list[dict] = field(default_factory=list)
    providers: list[dict] = field(default_factory=list)
    cases: list[dict] = field(default_factory=list)
    funds: list[dict] = field(default_factory=list)
    statistics: list[dict] = field(default_factory=list)
    chains: list[dict] = field(default_factory=list)
    transitions: list[dict] = field(default_factory=list)
    lines: list[dict] = field(default_factory=list)  # equipment lines (设备清单) of the projects
    ledger: list[dict] = field(default_factory=list)  # enterprises' equipment (设备台账)


def _path(state: str) -> list[workflow.Transition]:
    """The shortest way along the workflow table from 草稿 to ``state``."""
    paths = {workflow.START: []}
    frontier = [workflow.START]
    while frontier:
        nxt = []
        for s in frontier:
            for t in workflow.transitions_from(s):
                if t.target not in paths:
                    paths[t.target] = [*paths[s], t]
                    nxt.append(t.target)
        frontier = nxt
    return paths[state]


# When each step of the demo's history takes effect, relative to the project's dates (days).
STEP_DAYS = {"区县审核通过": (5, 20), "市级审核入库": (5, 25), "验收通过": (15, 45), "兑现": (20, 60)}


def _transitions(projects: list[dict], rng: random.Random, through: dt.date) -> list[dict]:
    """A realistic history for every project: each step of its way from 草稿 to its state, dated
    around its start and end (申报 one to three months before the start, 开工 on the start, 竣工 on
    the end …), in order, never after the data's last day. A separate random stream: the rest of
    the demo is the same with or without it."""
    last_day = month_end(through)
    out = []
    for p in projects:
        steps = _path(p["status"])
        day = p["start_date"] - dt.timedelta(days=rng.randint(30, 90))
        for step in steps:
            if step.action == "开工":
                day = max(day, p["start_date"])
            elif step.action == "竣工":
                day = max(day, p["end_date"] or day)
            elif step.action in STEP_DAYS:
                day = day + dt.timedelta(days=rng.randint(*STEP_DAYS[step.action]))
            elif step.target in ("退回", "撤销"):
                day = day + dt.timedelta(days=rng.randint(3, 30))
            day = min(day, last_day)
            out.append(
                {
                    "project": p["code"],
                    "from_status": step.source,
                    "to_status": step.target,
                    "action": step.action,
                    "effective_on": day,
                }
            )
    return out


def _uscc(rng: random.Random, division: str) -> str:
    body = "91" + division + "".join(rng.choice(ALPHABET) for _ in range(9))
    return body + stdnum_uscc.calc_check_digit(body)


def _money(value: float) -> Decimal:
    """Round to whole 万元, as projects are declared."""
    return (Decimal(round(value / 10_000)) * WAN).quantize(Decimal("0.01"))


def _month_add(month: dt.date, n: int) -> dt.date:
    total = month.year * 12 + month.month - 1 + n
    return dt.date(total // 12, total % 12 + 1, 1)


def _months(first: dt.date, last: dt.date) -> list[dt.date]:
    out, m = [], first
    while m <= last:
        out.append(m)
        m = _month_add(m, 1)
    return out


def default_through(plan: schema.Plan) -> dt.date:
    """The month the demo is cut at by default: September of the plan's first year."""
    return dt.date(plan.start_year, 9, 1)


def last_month(plan: schema.Plan) -> dt.date:
    """The demo world's last month (first-of-month): December of the plan's first year."""
    return dt.date(plan.start_year, 12, 1)


def build(
    plan: schema.Plan,
    *,
    seed: int = 7,
    through: dt.date | None = None,
    enterprises: int = 2000,
    projects_per_year: int = 1500,
) -> DemoData:
    """Build the demo city for ``plan``: enterprises in the areas' focus industries, projects of
    the plan's first year (and the year before, for baselines) in every status, monthly progress,
    honours, first-set products, catalogue, funds, statistics and chains — the whole world to
    ``last_month``, cut at ``through`` (a month; default September of the plan's first year)."""
    end = last_month(plan)
    through = (through or default_through(plan)).replace(day=1)
    if through > end:
        raise ValueError(f"演示数据截至 {end:%Y-%m}，截至月份不能晚于该月（实为 {through:%Y-%m}）")
    return cut(world(plan, seed=seed, enterprises=enterprises, projects_per_year=projects_per_year), through)


def world(
    plan: schema.Plan, *, seed: int = 7, enterprises: int = 2000, projects_per_year: int = 1500
) -> DemoData:
    """The whole demo world to ``last_month``, uncut: what the finance demo (``finance/demo.py``)
    reads to choose records that hold at every month the demo may be cut at."""
    return _world(plan, seed, enterprises, projects_per_year)


def month_end(month: dt.date) -> dt.date:
    return _month_add(month.replace(day=1), 1) - dt.timedelta(days=1)


def period_end(period: str) -> dt.date:
    """The last day a statistic's period covers: ``YYYY-MM`` (1–M月累计) or ``YYYY`` (全年)."""
    year, _, month = period.partition("-")
    return month_end(dt.date(int(year), int(month or 12), 1))


def unreported(code: str, month: dt.date) -> bool:
    """Whether project ``code`` never reported ``month`` (about one report in thirty-two): a hash,
    so that the world's other records do not change and the 督办 and completeness pages have
    missing reports to show."""
    return hashlib.sha256(f"unreported|{code}|{month:%Y-%m}".encode()).digest()[0] < 8


def cut(data: DemoData, through: dt.date) -> DemoData:
    """``data`` as known at the end of month ``through``: progress of later months, workflow steps
    effective later, 竣工日期 later, honours and first-set products awarded later, funds granted later
    and statistics of later periods are absent; each project's status is where its remaining steps
    lead (草稿 when none remain). Planned facts stay (the project itself, its 开工日期)."""
    through = through.replace(day=1)
    last_day = month_end(through)
    transitions = [t for t in data.transitions if t["effective_on"] <= last_day]
    status: dict[str, str] = {}
    for t in transitions:  # in the order they take effect
        status[t["project"]] = t["to_status"]
    projects = [
        {
            **p,
            "status": status.get(p["code"], workflow.START),
            "end_date": p["end_date"] if p["end_date"] and p["end_date"] <= last_day else None,
        }
        for p in data.projects
    ]
    return DemoData(
        seed=data.seed,
        through=through,
        enterprises=list(data.enterprises),
        projects=projects,
        progress=[r for r in data.progress if r["month"] <= through],
        honours=[h for h in data.honours if h["awarded_on"] <= last_day],
        first_sets=[f for f in data.first_sets if f["awarded_on"] <= last_day],
        catalogue=list(data.catalogue),
        providers=list(data.providers),
        cases=list(data.cases),
        funds=[f for f in data.funds if f["granted_on"] <= last_day],
        statistics=[s for s in data.statistics if period_end(s["period"]) <= last_day],
        chains=list(data.chains),
        transitions=transitions,
        lines=list(data.lines),  # a project's equipment list is declared with it (planned facts)
        ledger=[_ledger_as_of(item, last_day) for item in data.ledger],
    )


def _ledger_as_of(item: dict, last_day: dt.date) -> dict:
    """A ledger item as known on ``last_day``: not yet eliminated when its elimination is later."""
    if item["eliminated_on"] and item["eliminated_on"] > last_day:
        return {**item, "status": "在用", "eliminated_on": None, "replacement": None}
    return dict(item)


def _batches(rng: random.Random, year: int, n: int) -> list[dt.date]:
    """``n`` days of ``year`` on which lists are announced (认定/下达 come in batches), in order."""
    days = (dt.date(year + 1, 1, 1) - dt.date(year, 1, 1)).days
    return sorted(dt.date(year, 1, 1) + dt.timedelta(days=rng.randrange(days)) for _ in range(n))


def _world(plan: schema.Plan, seed: int, enterprises: int, projects_per_year: int) -> DemoData:
    """The whole demo world, to ``last_month``; the same for a seed whatever month it is cut at."""
    rng = random.Random(seed)
    # The dates of honours, first-set products and funds come from a stream of their own: the
    # other records are the same with or without them.
    dates = random.Random(seed * 7919 + 2)
    year = plan.start_year
    through = last_month(plan)
    data = DemoData(seed=seed, through=through)
    areas = plan.areas
    divisions = list(reference.industries())
    city_division = plan.city.code

    # Enterprises -------------------------------------------------------------------------
    weights = [KIND_WEIGHT[a.kind] * (1 + rng.random() * 0.4) for a in areas]
    total_w = sum(weights)
    counts = [int(enterprises * w / total_w) for w in weights]
    counts[0] += enterprises - sum(counts)
    seen: set[str] = set()
    for area, n in zip(areas, counts, strict=True):
        focus = [d for f in area.focus for d in f.divisions] or divisions
        division_code = area.code if area.code.isdigit() else city_division
        for _ in range(n):
            uscc = _uscc(rng, division_code)
            while uscc in seen:
                uscc = _uscc(rng, division_code)
            seen.add(uscc)
            industry = rng.choice(focus) if rng.random() < 0.7 else rng.choice(divisions)
            word = rng.choice(INDUSTRY_WORDS.get(industry, ["实业"]))
            name = f"{area.short_name}{rng.choice(SYLLABLES)}{rng.choice(SYLLABLES)}{word}"
            name += "股份有限公司" if rng.random() < 0.15 else "有限公司"
            above = rng.random() < 0.6
            data.enterprises.append(
                {
                    "uscc": uscc,
                    "name": name,
                    "area": area.code,
                    "industry_code": industry,
                    "above_scale": above,
                    "land_mu": Decimal(rng.randint(8, 320) if above else rng.randint(3, 60)),
                    "employees": rng.randint(120, 2500) if above else rng.randint(10, 200),
                    "high_tech": rng.random() < 0.3,
                    "ic_enterprise": industry == "39" and rng.random() < 0.15,
                    "machine_tool_enterprise": industry in {"34", "35"} and rng.random() < 0.1,
                }
            )

    # Projects (the plan's first year, and the year before for the monthly profile) ----------
    statuses = [s for s, _ in STATUS_MIX]
    status_w = [w for _, w in STATUS_MIX]
    type_names = reference.values("project_types")
    large_budget = 14  # projects of ≥ 10亿元 in the first year
    for y, n_projects in ((year - 1, projects_per_year * 2 // 5), (year, projects_per_year)):
        for i in range(n_projects):
            ent = rng.choice(data.enterprises)
            first_year = y == year
            status = (
                rng.choices(statuses, status_w)[0]
                if first_year
                else rng.choice(["竣工", "验收通过", "已兑现", "已兑现"])
            )
            types = {"技术改造" if rng.random() < 0.6 else "设备更新"}
            if rng.random() < 0.35:
                types.add("绿色化改造")
            if rng.random() < 0.35:
                types.add(rng.choice(["智能化改造", "数字化改造"]))
            if rng.random() < 0.08:
                types.add("安全化改造")
            if rng.random() < 0.005:
                types.add("产业链协同创新")
            provincial_key = rng.random() < 0.42
            if first_year and large_budget and rng.random() < 0.012:
                total = rng.uniform(10.0, 30.0) * float(YI)
                large_budget -= 1
                provincial_key = True
            elif provincial_key:
                total = min(rng.lognormvariate(18.0, 0.7), 9.5 * float(YI))
            else:
                total = min(rng.lognormvariate(17.0, 0.9), 9.5 * float(YI))
            total_inv = _money(max(total, 1_000_000))
            equip = _money(float(total_inv) * rng.uniform(0.35, 0.75))
            first_set = _money(float(equip) * rng.uniform(0.05, 0.3)) if rng.random() < 0.06 else Decimal(0)
            start = dt.date(y, rng.randint(1, 10), rng.randint(1, 28))
            duration = rng.randint(4, 20)
            planned_end = _month_add(start.replace(day=1), duration)
            robots = rng.choice([0] * 8 + [2, 3, 4, 6, 8, 10, 15])
            data.projects.append(
                {
                    "code": f"{y}-{ent['area']}-{i + 1:04d}",
                    "name": f"{ent['name'].removesuffix('股份有限公司').removesuffix('有限公司')}"
                    f"{rng.choice(['智能化技改', '设备更新', '数字化车间建设', '绿色低碳改造', '扩产技改', '自动化产线改造'])}项目",
                    "enterprise": ent["uscc"],
                    "area": ent["area"],
                    "year": y,
                    "types": "、".join(t for t in type_names if t in types),
                    "provincial_key": provincial_key,
                    "total_investment": total_inv,
                    "equipment_investment": equip,
                    "first_set_purchase": first_set,
                    "new_robots": robots,
                    "new_cnc": rng.choice([0, 0, 2, 4, 6, 10, 15, 20]),
                    "energy_saving": Decimal(round(rng.lognormvariate(6.4, 0.8)))
                    if "绿色化改造" in types
                    else Decimal(0),
                    "new_land": rng.random() < 0.2,
                    "start_date": start,
                    "end_date": (planned_end - dt.timedelta(days=1))
                    if status in ("竣工", "验收通过", "已兑现")
                    else None,
                    "status": status,
                    "_planned_end": planned_end,
                }
            )

    # Monthly progress: spending spread over the project's months, back-loaded ---------------
    for p in data.projects:
        if p["status"] in ("草稿", "已申报", "区县审核通过", "退回", "撤销"):
            continue
        first = p["start_date"].replace(day=1)
        last = p["_planned_end"]
        months = _months(first, last)
        w = [MONTH_PROFILE[m.month - 1] * rng.uniform(0.7, 1.3) for m in months]
        total_w = sum(w)
        done = rng.uniform(0.8, 1.0)
        robots_left, cnc_left = p["new_robots"], p["new_cnc"]
        for k, (m, wk) in enumerate(zip(months, w, strict=True)):
            if m > through:
                break
            share = wk / total_w * done
            invest = _money(float(p["total_investment"]) * share)
            equip = min(_money(float(p["equipment_investment"]) * share), invest)
            robots = (
                robots_left
                if k == len(months) - 1
                else min(robots_left, round(p["new_robots"] * wk / total_w))
            )
            cnc = cnc_left if k == len(months) - 1 else min(cnc_left, round(p["new_cnc"] * wk / total_w))
            robots_left -= robots
            cnc_left -= cnc
            if k < len(months) - 1 and unreported(p["code"], m):
                continue  # never reported (the project's last month always is)
            data.progress.append(
                {
                    "project": p["code"],
                    "month": m,
                    "investment": invest,
                    "equipment_investment": equip,
                    "robots": robots,
                    "cnc": cnc,
                }
            )
        if p["end_date"] and p["end_date"] > through:
            # a completed project must have completed by the data's last month
            p["end_date"] = month_end(through)
            if p["end_date"] < p["start_date"]:
                p["end_date"] = p["start_date"]
    data.transitions = _transitions(data.projects, random.Random(seed * 7919 + 1), through)
    for p in data.projects:
        del p["_planned_end"]

    # Honours and first-set products (T2, T3) ---------------------------------------------------
    above = [e for e in data.enterprises if e["above_scale"]]
    taken: set[tuple] = set()
    # each list (kind and level, or a first-set level, in a year) is announced in two to four batches
    announced: dict[tuple, list[dt.date]] = {}

    def announced_on(*key) -> dt.date:
        if key not in announced:
            announced[key] = _batches(dates, key[-1], dates.randint(2, 4))
        return dates.choice(announced[key])

    def honour(kind: str, level: str, y: int) -> None:
        ent = rng.choice(above)
        key = (ent["uscc"], kind, level, y)
        if key not in taken:
            taken.add(key)
            data.honours.append(
                {
                    "enterprise": ent["uscc"],
                    "kind": kind,
                    "level": level,
                    "year": y,
                    "awarded_on": announced_on("honour", kind, level, y),
                }
            )

    for y in (year - 1, year):
        for _ in range(9):
            honour("未来工厂", "省级", y)
        for _ in range(3):
            honour("国家智能制造示范工厂", "国家级", y)
        if y == year:
            honour("灯塔工厂", "世界级", y)
        for _ in range(34):
            honour("绿色工厂", rng.choice(["省级", "省级", "省级", "国家级", "市级"]), y)
        for _ in range(40):
            honour(
                rng.choice(["智能工厂", "数字化车间", "智能产线", "绿色供应链"]),
                rng.choice(["省级", "市级"]),
                y,
            )
    products = [
        "高速经编机",
        "智能电脑横机",
        "精密数控车床",
        "六轴工业机器人",
        "光伏层压机",
        "高强度紧固件",
        "造纸智能控制系统",
        "5G通信模组",
        "新能源汽车电驱壳体",
        "化工过程安全监测装置",
    ]
    for y, n in ((year - 1, 16), (year, 18)):
        for _ in range(n):
            ent = rng.choice(above)
            category = rng.choices(reference.values("first_set_categories"), [6, 2, 1, 2])[0]
            product = f"{rng.choice(products)}{rng.choice('ABCDEFGHJK')}{rng.randint(100, 999)}型"
            level = rng.choice(["省级", "省级", "省级", "国家级", "市级"])
            data.first_sets.append(
                {
                    "enterprise": ent["uscc"],
                    "product_name": product,
                    "category": category,
                    "level": level,
                    "year": y,
                    "awarded_on": announced_on("first_set", level, y),
                }
            )

    # T4 catalogue, O3 providers and cases -----------------------------------------------------
    cats = reference.values("catalogue_categories")
    brands = ["恒嘉", "禾润", "晨星", "锦华", "新宇", "瑞博", "久盛", "佳明"]
    for i in range(80):
        ent = rng.choice(above)
        data.catalogue.append(
            {
                "enterprise": ent["uscc"],
                "brand": rng.choice(brands),
                "model": f"{rng.choice('JXHZPT')}{rng.randint(1000, 9999)}-{i:02d}",
                "category": rng.choice(cats[:-1]),
                "batch": f"{year}年第{1 + i // 40}批",
                "published": i < 40,
            }
        )
    for i in range(20):
        area = rng.choice(areas)
        kind = rng.choice(reference.values("provider_kinds"))
        data.providers.append(
            {
                "uscc": _uscc(rng, area.code if area.code.isdigit() else city_division),
                "name": f"{area.short_name}{rng.choice(SYLLABLES)}{rng.choice(SYLLABLES)}"
                f"{'数字科技' if '数字' in kind else '节能技术'}有限公司",
                "area": area.code,
                "kind": kind,
                "description": "提供设备联网、数据采集、智能排产等改造服务"
                if "数字" in kind
                else "提供能源审计、节能改造、合同能源管理服务",
                "published": i < 12,
            }
        )
    for i in range(15):
        ent = rng.choice(above)
        data.cases.append(
            {
                "title": f"{ent['name']}设备更新典型案例",
                "enterprise": ent["uscc"],
                "provider": data.providers[i]["uscc"],
                "year": year,
                "summary": "通过购置工业机器人和数控设备、建设数字化车间，生产效率提升约30%，单位产品能耗下降约15%。",
                "published": i < 8,
            }
        )

    # P11 funds ---------------------------------------------------------------------------------
    # each year's fund is granted (下达) in two or three batches, each with its 文号
    alloc = random.Random(seed * 7919 + 3)  # a stream of its own: the rest is the same without it
    counted = set(reference.counted_statuses())
    green = {
        y: sorted(
            p["code"]
            for p in data.projects
            if p["year"] == y and "绿色化改造" in p["types"] and p["status"] in counted
        )
        for y in (year - 1, year)
    }
    areas_of = {p["code"]: p["area"] for p in data.projects}
    for y in (year - 1, year):
        for level, purpose, amount in (
            ("国家级", "超长期特别国债设备更新资金", 0.35 * float(YI)),
            ("省级", "省级制造业高质量发展专项资金", 1.3 * float(YI)),
            ("省级", "省级生产方式转型资金", 0.45 * float(YI)),
            ("市级", "市本级工信资金（设备更新）", 1.9 * float(YI)),
        ):
            total = _money(amount * rng.uniform(0.85, 1.15))
            days = _batches(dates, y, dates.randint(2, 3))
            weights = [dates.uniform(0.5, 1.5) for _ in days]
            left = total
            for k, day in enumerate(days):
                part = left if k == len(days) - 1 else _money(float(total) * weights[k] / sum(weights))
                left -= part
                document_no = f"{FUND_DOCUMENT[level]}〔{y}〕{dates.randint(10, 150)}号"
                # provincial-or-higher batches name some of the year's green projects (资金下达, T8);
                # what is left of the batch stays unallocated (a fund of the city as a whole)
                if level in ("省级", "国家级"):
                    for code in alloc.sample(green[y], min(len(green[y]), alloc.randint(1, 3))):
                        share = _money(float(part) * alloc.uniform(0.04, 0.12))
                        part -= share
                        data.funds.append(
                            {
                                "year": y,
                                "level": level,
                                "purpose": f"{purpose}（第{k + 1}批）",
                                "amount": share,
                                "area": areas_of[code],
                                "project": code,
                                "note": "演示数据",
                                "document_no": document_no,
                                "granted_on": day,
                            }
                        )
                data.funds.append(
                    {
                        "year": y,
                        "level": level,
                        "purpose": f"{purpose}（第{k + 1}批）",
                        "amount": part,
                        "area": None,
                        "note": "演示数据",
                        "document_no": document_no,
                        "granted_on": day,
                    }
                )

    # Statistics: monthly cumulative (1–M月累计) per area and the city --------------------------
    data.statistics = _statistics(plan, rng, year, through)

    # T6 chains -----------------------------------------------------------------------------------
    for name in ("汽车零部件产业链", "光伏产业链", "新型纺织产业链", "智能装备产业链", "化工新材料产业链"):
        data.chains.append(
            {
                "name": name,
                "leader": "市政府分管副市长",
                "leader_unit": "econ-it",
                "masters": [e["uscc"] for e in rng.sample(above, 2)],
            }
        )

    # Equipment: the lines of every project, the ledgers of some enterprises (streams of their own)
    data.lines = _lines(data, random.Random(seed * 7919 + 5))
    data.ledger = _ledger(data, random.Random(seed * 7919 + 7))
    _loan_demands(data, random.Random(seed * 7919 + 11))
    return data


# P12: the banks the demo's projects name as intended banks (codes of the plan file's
# ``finance.banks``; 嘉兴银行 lends without re-lending support) and the demo's contact people.
DEMO_BANKS = ("icbc", "ccb", "czb", "jxbank")
CONTACT_SURNAMES = "王李张刘陈杨黄赵吴周徐孙沈朱钱"
CONTACT_TITLES = ["工", "经理", "总", "主任"]
LOAN_MIN_TOTAL = 20_000_000  # the demo gives a loan demand to projects of 2,000万 and more


def _loan_demands(data: DemoData, rng: random.Random) -> None:
    """A loan demand and one to three intended banks for about 40 % of the projects of 2,000万
    and more, and a contact (联系人, 联系电话) for their enterprises (P12). A stream of its own: every
    other figure of the demo is the same with or without it."""
    contacts: set[str] = set()
    for p in data.projects:
        if p["total_investment"] < LOAN_MIN_TOTAL or rng.random() >= 0.4:
            continue
        p["loan_demand"] = _money(float(p["total_investment"]) * rng.uniform(0.3, 0.6))
        p["intended_banks"] = rng.sample(DEMO_BANKS, rng.choice([1, 1, 2, 2, 3]))
        contacts.add(p["enterprise"])
    for e in data.enterprises:
        if e["uscc"] in contacts:
            e["contact_person"] = rng.choice(CONTACT_SURNAMES) + rng.choice(CONTACT_TITLES)
            e["contact_phone"] = f"0573-8{rng.randint(0, 9_999_999):07d}"


# Equipment lines: what each project buys, consistent with its 设备投资 (the lines add up to it),
# its robots, CNC machines and first-set purchases; green projects buy special equipment (P13).
GENERAL_LINES = [
    ("通用设备", "自动化生产线", "ZDX"),
    ("通用设备", "空压机", "KY"),
    ("检测检验设备", "在线检测系统", "JC"),
    ("信息化设备", "工业服务器及MES系统", "MES"),
    ("通用设备", "智能仓储系统", "CC"),
]
SPECIAL_LINES = [
    ("节能节水专用设备", "高效节能电机", "YE4"),
    ("环境保护专用设备", "VOCs废气处理装置", "RTO"),
    ("安全生产专用设备", "安全监测预警系统", "AQ"),
]
SUPPLIERS = ["示例智能装备有限公司", "示例机床股份有限公司", "示例机器人科技有限公司", "示例环保设备有限公司"]


def _lines(data: DemoData, rng: random.Random) -> list[dict]:
    products = [f["product_name"] for f in data.first_sets if f["level"] in ("省级", "国家级")]
    out = []
    for p in data.projects:
        equip = p["equipment_investment"]
        acquired = p["start_date"] + dt.timedelta(days=rng.randint(10, 90))
        rows: list[tuple] = []  # (category, name, spec, unit price, quantity, extra)
        if p["first_set_purchase"] > 0:
            extra = {"first_set_level": "省级", "first_set_product": rng.choice(products) if products else ""}
            rows.append(("数控机床", "首台（套）高端装备", "SJ-1", p["first_set_purchase"], 1, extra))
        left = equip - p["first_set_purchase"]
        for category, name, count, (low, high) in (
            ("工业机器人", "六轴工业机器人", p["new_robots"], (12, 35)),
            ("数控机床", "数控加工中心", p["new_cnc"], (25, 90)),
        ):
            if count:
                unit = min(_money(rng.uniform(low, high) * float(WAN)), _money(float(left) * 0.4 / count))
                if unit > 0:
                    rows.append((category, name, f"{name[:2]}-{rng.randint(100, 999)}", unit, count, {}))
                    left -= unit * count
        if "绿色化改造" in p["types"] and left > 0:
            category, name, spec = rng.choice(SPECIAL_LINES)
            unit = _money(float(left) * rng.uniform(0.1, 0.3))
            rows.append((category, name, f"{spec}-{rng.randint(10, 99)}", unit, 1, {}))
            left -= unit
        lease = rng.random() < 0.05 and left > 0
        if lease:
            fee = _money(float(left) * 0.2)
            rows.append(("检测检验设备", "租赁检测设备", "ZL-1", fee, None, {"acquisition": "租赁"}))
            left -= fee
        if left > 0:
            category, name, spec = rng.choice(GENERAL_LINES)
            rows.append((category, name, f"{spec}-{rng.randint(100, 999)}", left, 1, {}))
        for n, (category, name, spec, amount, quantity, extra) in enumerate(rows, start=1):
            leased = extra.get("acquisition") == "租赁"
            out.append(
                {
                    "project": p["code"],
                    "number": n,
                    "name": name,
                    "spec": spec,
                    "category": category,
                    "acquisition": "租赁" if leased else "购置",
                    "unit_price": None if leased else amount,
                    "quantity": None if leased else quantity,
                    "lease_fee": amount if leased else None,
                    "origin": "进口" if rng.random() < 0.15 else "国产",
                    "first_set_level": extra.get("first_set_level", "无"),
                    "first_set_product": extra.get("first_set_product", ""),
                    "supplier": rng.choice(SUPPLIERS),
                    "invoice_no": "" if leased else f"示例{rng.randint(10_000_000, 99_999_999)}",
                    "acquired_on": None if leased else acquired,
                    "depreciation_class": "电子设备" if category == "信息化设备" else "机器设备",
                }
            )
    return out


# Ledgers: the equipment of a few hundred enterprises; some of it matches the sample elimination
# catalogue (equipment/data/elimination-sample.yaml) — the renewal candidates of T9 — and some was
# eliminated and replaced by one of the enterprise's projects.
LEDGER_KINDS = [  # the EX… models match the sample catalogue's prefixes, the others match nothing
    ("通用设备", "三相异步电动机", ["EXM-132", "EXM2-160", "Y2-132", "YE3-160"]),
    ("通用设备", "离心风机", ["EXF-72", "4-72-6C", "9-19-5A"]),
    ("通用设备", "工业锅炉", ["EXB-4", "DZL4-1.25", "WNS2-1.0"]),
    ("数控机床", "普通车床", ["C6140", "CA6150"]),
    ("通用设备", "变压器", ["EXT-500", "S13-630"]),
    ("环境保护专用设备", "除尘器", ["EXP-20", "DMC-64"]),
]


def _ledger(data: DemoData, rng: random.Random) -> list[dict]:
    projects_of: dict[str, list[dict]] = {}
    for p in data.projects:
        projects_of.setdefault(p["enterprise"], []).append(p)
    owners = rng.sample(data.enterprises, min(300, len(data.enterprises)))
    out = []
    for ent in owners:
        for n in range(rng.randint(3, 8)):
            category, name, specs = rng.choice(LEDGER_KINDS)
            year = rng.randint(1998, 2020)
            item = {
                "enterprise": ent["uscc"],
                "number": f"SB-{n + 1:03d}",
                "name": name,
                "spec": rng.choice(specs),
                "category": category,
                "purchase_year": year,
                "original_value": _money(rng.uniform(2, 120) * float(WAN)),
                "rated_power_kw": Decimal(rng.choice([7.5, 11, 15, 22, 37, 55, 90, 160])),
                "efficiency_grade": rng.choice(["1级", "2级", "3级", ""]),
                "status": rng.choice(["在用"] * 6 + ["停用"]),
                "eliminated_on": None,
                "replacement": None,
            }
            mine = [p for p in projects_of.get(ent["uscc"], []) if p["start_date"]]
            if mine and rng.random() < 0.25:
                p = rng.choice(mine)
                item.update(
                    status="已淘汰",
                    eliminated_on=p["start_date"] + dt.timedelta(days=rng.randint(30, 120)),
                    replacement=p["code"],
                )
            out.append(item)
    return out


def _statistics(plan: schema.Plan, rng: random.Random, year: int, through: dt.date) -> list[dict]:
    """Monthly cumulative statistics for the statistics-sourced targets: the year before the
    plan (full year, the baseline) and the plan's first year up to ``through``."""
    areas = plan.areas
    shares = [rng.uniform(0.6, 1.4) for _ in areas]
    total = sum(shares)
    shares = [s / total for s in shares]
    cum = [0]
    for w in MONTH_PROFILE:
        cum.append(cum[-1] + w)
    profile = [c / cum[-1] for c in cum[1:]]  # cumulative share of the year by month

    # annual city totals in yuan for the year before; growth for the plan year
    flows = {
        "mfg_investment": (1020 * float(YI), 0.07),
        "tech_investment": (540 * float(YI), 0.11),
        "equipment_investment": (380 * float(YI), 0.10),
        "equipment_mfg_value_added": (1350 * float(YI), 0.09),
    }
    levels = {  # level indicators: baseline, yearly gain
        "digital_rd_tool_rate": (0.88, 0.017),
        "cnc_rate": (0.66, 0.035),
        "new_product_rate": (0.47, 0.02),
        "labour_productivity": (310_000, 18_000),
        "value_added_per_mu": (2_050_000, 130_000),
    }
    rows: list[dict] = []
    months_of = {year - 1: 12, year: through.month}
    for code, (base, growth) in flows.items():
        # one deviation per area and indicator for the whole year: cumulative values stay monotone
        # and each area's growth on the year before is plausible (-12 % … +12 % around the city's)
        deviation = {a.code: rng.uniform(0.88, 1.12) for a in areas}
        for y in (year - 1, year):
            annual = base * ((1 + growth) if y == year else 1)
            for m in range(1, months_of[y] + 1):
                area_values = []
                for a, s in zip(areas, shares, strict=True):
                    noise = deviation[a.code] if y == year else 1.0
                    v = annual * s * profile[m - 1] * noise
                    v = round(v / 10_000) * 10_000
                    area_values.append(v)
                    rows.append(
                        {
                            "indicator": code,
                            "area_code": a.code,
                            "period": f"{y}-{m:02d}",
                            "value": Decimal(v),
                        }
                    )
                rows.append(
                    {
                        "indicator": code,
                        "area_code": plan.city.code,
                        "period": f"{y}-{m:02d}",
                        "value": Decimal(sum(area_values)),
                    }
                )
    for code, (base, gain) in levels.items():
        for y in (year - 1, year):
            for m in [12] if y == year - 1 else range(1, months_of[y] + 1):
                city = base + (gain * m / 12 if y == year else 0)
                for a in areas:
                    v = city * rng.uniform(0.9, 1.1)
                    rows.append(
                        {
                            "indicator": code,
                            "area_code": a.code,
                            "period": f"{y}-{m:02d}" if y == year else str(y),
                            "value": Decimal(str(round(v, 4) if v < 10 else round(v))),
                        }
                    )
                rows.append(
                    {
                        "indicator": code,
                        "area_code": plan.city.code,
                        "period": f"{y}-{m:02d}" if y == year else str(y),
                        "value": Decimal(str(round(city, 4) if city < 10 else round(city))),
                    }
                )
    return rows
