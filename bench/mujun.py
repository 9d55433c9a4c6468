"""Benchmark: the 亩均 evaluation (P14, issue 16) of 60,000 enterprises in one run.

60,000 enterprises over the plan's 9 areas (7 counties and districts, 2 zones), each with a 亩均数据
row of 2024 (log-normal land and 亩均税收, losses, zero energy, a few enterprises with the very
figures of another — exact ties), and 12,000 projects with their workflow steps (竣工 in 2024,
竣工 only in 2025, 在建, completed in 2023; 设备投资 around the 500万元 threshold) for the bonus. The
same rows go into SQLite, PostgreSQL and DuckDB (in memory). The platform answers
``selectors.evaluation(year=2024)`` — the whole answer of `renewal mujun --json` and
``GET /api/v1/mujun``: every area, every item with its points, bases and bonus — and DuckDB runs the
same arithmetic (benchmarks, points, bonus, totals, ranks, classes) as one SQL query over the raw
rows, in floats. The classes and ranks must agree (float ties aside: the count is reported).

    .venv/bin/python bench/mujun.py             # SQLite + PostgreSQL (BENCH_POSTGRES_URL) + DuckDB
    .venv/bin/python bench/mujun.py --only sqlite --small

Each database backend runs in its own process (Django settings are per process); times are the
median of ``RUNS`` runs after one warm-up.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import statistics
import subprocess
import sys
import time
from decimal import Decimal
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
PLAN_FILE = ROOT / "src" / "renewal" / "plans" / "jiaxing-2024.yaml"
SQLITE_PATH = ROOT / "var" / "bench" / "mujun.sqlite3"
POSTGRES_URL = os.environ.get("BENCH_POSTGRES_URL", "postgres://postgres@127.0.0.1:5432/wt_mujun")
YEAR = 2024
RUNS = 5
FIELDS = {  # the rule's figures → the 亩均数据 columns
    "land": "land_mu",
    "tax": "tax",
    "value_added": "value_added",
    "revenue": "revenue",
    "energy": "energy_tce",
    "emissions": "emissions_t",
    "rd": "rd_expense",
    "employees": "employees",
}
# a project's way: (status at the end, 在建 from, 竣工 on, 验收通过 on), days from its end_date
WAYS = [
    ("竣工", True),  # 竣工 on its end_date in 2024
    ("验收通过", True),  # then 验收通过 a month later (still 2024 when the end is before December)
    ("在建", False),  # an end_date is planned, no 竣工 yet
    ("late", False),  # end_date in December 2024, 竣工 recorded only in January 2025
    ("before", False),  # completed in 2023
]
WAYS_W = np.array([45, 15, 20, 8, 12], dtype=float)


def generate(scale: float, areas: list[str]) -> dict[str, np.ndarray]:
    """Deterministic rows (same seed → same rows in every process), as the database stores them."""
    rng = np.random.default_rng(1616)
    n = int(60_000 * scale)
    area = rng.integers(0, len(areas), n)
    land = np.round(np.clip(rng.lognormal(np.log(60), 0.8, n), 10, 300), 1)
    loss = rng.random(n) < 0.03
    tax_per_mu = rng.lognormal(np.log(300_000), 0.9, n)
    va = tax_per_mu * land * rng.uniform(3, 4, n) * np.where(loss, 0.4, 1.0)
    va = np.maximum(np.round(va / 10_000), 1) * 10_000
    tax = np.where(loss, 0, np.round(va / rng.uniform(3, 4, n) / 10_000) * 10_000)
    revenue = np.round(va * rng.uniform(4, 6, n) / 10_000) * 10_000
    energy = np.where(rng.random(n) < 0.01, 0, np.round(va / (rng.uniform(1, 3, n) * 10_000), 1))
    emissions = np.round(va / rng.lognormal(np.log(1_500_000), 0.6, n), 2)
    rd = np.round(revenue * rng.uniform(0.01, 0.05, n) / 10_000) * 10_000
    employees = np.maximum(np.round(va / rng.lognormal(np.log(300_000), 0.4, n)), 1).astype(np.int64)
    figures = {
        "land": land,
        "tax": tax,
        "value_added": va,
        "revenue": revenue,
        "energy": energy,
        "emissions": emissions,
        "rd": rd,
        "employees": employees,
    }
    # 0.2 % of the enterprises copy another's figures in the same area: equal totals, decided by
    # the tie-break (亩均税收) and then the credit code
    copies = rng.choice(n, int(n * 0.002), replace=False)
    for i in copies:
        same = np.flatnonzero(area == area[i])
        j = same[rng.integers(0, len(same))]
        for col in figures.values():
            col[i] = col[j]
    n_proj = int(12_000 * scale)
    p_ent = rng.integers(0, n, n_proj)
    p_way = rng.choice(len(WAYS), n_proj, p=WAYS_W / WAYS_W.sum())
    p_end = np.array([dt.date(YEAR, 1, 1).toordinal()] * n_proj) + rng.integers(0, 366, n_proj)
    late, before = p_way == 3, p_way == 4
    p_end[late] = dt.date(YEAR, 12, 1).toordinal() + rng.integers(0, 31, int(late.sum()))
    p_end[before] -= 366
    p_equipment = np.round(rng.lognormal(np.log(5_000_000), 0.7, n_proj) / 10_000) * 10_000
    p_equipment[rng.random(n_proj) < 0.05] = 5_000_000  # exactly the threshold: counts
    return {"area": area, **figures, "p_ent": p_ent, "p_way": p_way, "p_end": p_end, "p_eq": p_equipment}


def steps(rows: dict) -> list[tuple[int, str, str, str, dt.date]]:
    """The projects' workflow steps (project index, from, to, action, effective day)."""
    out = []
    for i, (way, end) in enumerate(zip(rows["p_way"].tolist(), rows["p_end"].tolist(), strict=True)):
        end = dt.date.fromordinal(end)
        start = end - dt.timedelta(days=200)
        out.append((i, "已入库", "在建", "开工", start))
        name = WAYS[way][0]
        if name in ("竣工", "验收通过", "before"):
            out.append((i, "在建", "竣工", "竣工", end))
        if name == "验收通过":
            out.append((i, "竣工", "验收通过", "验收通过", end + dt.timedelta(days=30)))
        if name == "late":
            out.append((i, "在建", "竣工", "竣工", dt.date(YEAR + 1, 1, 10)))
    return out


def uscc(i: int) -> str:
    return f"BENCH{i:013d}"


# -- one database backend, in its own process --------------------------------------------------------


def run_backend(backend: str, scale: float) -> dict:
    os.environ["DATABASE_URL"] = f"sqlite:///{SQLITE_PATH}" if backend == "sqlite" else POSTGRES_URL
    os.environ["DJANGO_SETTINGS_MODULE"] = "renewal.settings"
    if backend == "sqlite":
        SQLITE_PATH.parent.mkdir(parents=True, exist_ok=True)
        for suffix in ("", "-wal", "-shm"):
            Path(f"{SQLITE_PATH}{suffix}").unlink(missing_ok=True)
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from renewal.mujun import rule, selectors
    from renewal.planning import schema
    from renewal.planning.services import plan_load

    call_command("migrate", verbosity=0)
    plan = schema.read_plan(PLAN_FILE)
    areas = [a.code for a in plan.areas]
    if backend == "postgres":
        with connection.cursor() as c:
            c.execute("TRUNCATE registry_enterprise, mujun_annualdata, registry_project CASCADE")
    plan_load(plan=plan, source_file="bench")
    rows = generate(scale, areas)
    t0 = time.perf_counter()
    load(rows, areas)
    load_s = time.perf_counter() - t0
    with connection.cursor() as c:
        c.execute("ANALYZE")

    selectors.evaluation(year=YEAR)  # warm-up (and the plan's cache)
    total_ms, cpu_ms, facts_ms, rule_ms, json_ms = [], [], [], [], []
    answer = None
    for _ in range(RUNS):
        answer = None  # the previous run's answer is freed before the clock starts, not inside it
        t0, c0 = time.perf_counter(), time.process_time()
        answer = selectors.evaluation(year=YEAR)
        total_ms.append((time.perf_counter() - t0) * 1000)
        cpu_ms.append((time.process_time() - c0) * 1000)
    # where the time goes (the same steps as ``evaluation``, timed one by one)
    for _ in range(RUNS):
        with selectors.gc_paused():
            t0 = time.perf_counter()
            by_area = selectors.facts(YEAR, None)
            t1 = time.perf_counter()
            results = [
                rule.evaluate_area(YEAR, code, by_area[code], selectors.scheme_for(plan, code))
                for code in sorted(by_area)
            ]
            t2 = time.perf_counter()
            [x for r in results for x in selectors.items_json(r)]
            t3 = time.perf_counter()
        facts_ms.append((t1 - t0) * 1000)
        rule_ms.append((t2 - t1) * 1000)
        json_ms.append((t3 - t2) * 1000)
    items = answer["items"]
    return {
        "backend": backend,
        "enterprises": len(items),
        "load_s": round(load_s, 1),
        "evaluation_ms": round(statistics.median(total_ms), 1),
        "evaluation_cpu_ms": round(statistics.median(cpu_ms), 1),
        "best_ms": round(min(total_ms), 1),
        "facts_ms": round(statistics.median(facts_ms), 1),
        "rule_ms": round(statistics.median(rule_ms), 1),
        "item_json_ms": round(statistics.median(json_ms), 1),
        "bonus_items": sum(1 for i in items if i["bonus"]),
        "items": {i["uscc"]: [i["area"], i["rank"], i["class"], i["total"]] for i in items},
    }


def load(rows: dict, areas: list[str]) -> None:
    """Bulk rows through the ORM (no history: a scratch database)."""
    from renewal.mujun.models import AnnualData
    from renewal.registry.models import Enterprise, Project, ProjectTransition

    n = len(rows["area"])
    Enterprise.objects.bulk_create(
        [
            Enterprise(
                id=i + 1,
                uscc=uscc(i),
                name=f"企业{i}",
                area_id=areas[a],
                industry_code="17",
                above_scale=True,
            )
            for i, a in enumerate(rows["area"].tolist())
        ],
        batch_size=5000,
    )
    columns = {k: rows[k].tolist() for k in FIELDS}
    quantity = {"land": 1, "energy": 1, "emissions": 2}
    data = []
    for i in range(n):
        values = {}
        for k, field in FIELDS.items():
            v = columns[k][i]
            if k == "employees":
                values[field] = int(v)
            elif k in quantity:
                values[field] = Decimal(str(round(v, quantity[k])))
            else:
                values[field] = Decimal(int(v))
        data.append(AnnualData(enterprise_id=i + 1, year=YEAR, **values))
    AnnualData.objects.bulk_create(data, batch_size=5000)
    p_ent, p_end, p_eq = rows["p_ent"].tolist(), rows["p_end"].tolist(), rows["p_eq"].tolist()
    final = {}
    for i, _, to, _, _ in steps(rows):
        final[i] = to
    Project.objects.bulk_create(
        [
            Project(
                id=i + 1,
                code=f"B{i:06d}",
                name=f"项目{i}",
                enterprise_id=e + 1,
                area_id=areas[int(rows["area"][e])],
                year=YEAR,
                types="设备更新",
                total_investment=Decimal(int(q)) * 2,
                equipment_investment=Decimal(int(q)),
                end_date=dt.date.fromordinal(end),
                status=final[i],
            )
            for i, (e, end, q) in enumerate(zip(p_ent, p_end, p_eq, strict=True))
        ],
        batch_size=5000,
    )
    ProjectTransition.objects.bulk_create(
        [
            ProjectTransition(project_id=i + 1, from_status=a, to_status=b, action=act, effective_on=day)
            for i, a, b, act, day in steps(rows)
        ],
        batch_size=5000,
    )


# -- the DuckDB reference ------------------------------------------------------------------------------


def duckdb_sql(plan, year: int) -> str:
    """The evaluation as one SQL query over ``e`` (the rows) and ``s`` (the projects' steps) in
    floats: benchmarks Σ ÷ Σ by area, points capped, the bonus, totals, ranks and classes."""
    m = plan.mujun
    cap = float(m.cap)
    points = []
    for ind in m.indicators:
        w, num, den = float(ind.weight), ind.numerator, ind.denominator
        points.append(
            f"CASE WHEN e.{den} = 0 THEN (CASE WHEN e.{num} > 0 THEN {w * cap} ELSE 0 END) "
            f"WHEN b.s_{num} = 0 THEN 0 "
            f"ELSE {w} * LEAST((e.{num} / e.{den}) / (b.s_{num} / b.s_{den}), {cap}) END"
        )
    tie = next(i for i in m.indicators if i.id == m.tie_break)
    sums = ", ".join(f"SUM({f}) AS s_{f}" for f in FIELDS)
    statuses = ", ".join(f"'{s}'" for s in m.bonus.statuses)
    share = {k: int(Decimal(getattr(m.classes, k)) * 10_000) for k in ("A", "B", "D")}
    return f"""
    WITH live AS (SELECT * FROM e WHERE land > 0),
    b AS (SELECT area, COUNT(*) AS n, {sums} FROM live GROUP BY area),
    at_year_end AS (
      SELECT project, arg_max(to_status, effective_on) AS status FROM s
      WHERE effective_on <= DATE '{year}-12-31' GROUP BY project),
    bonus AS (
      SELECT p.enterprise, LEAST({float(m.bonus.points_per_project)} * COUNT(*), {float(m.bonus.cap)}) AS bonus
      FROM p JOIN at_year_end y ON y.project = p.id
      WHERE y.status IN ({statuses}) AND year(p.end_date) = {year}
        AND p.equipment >= {float(m.bonus.min_equipment_investment)}
      GROUP BY p.enterprise),
    scored AS (
      SELECT e.uscc, e.area, b.n, {" + ".join(f"({p})" for p in points)} AS score,
        COALESCE(bonus.bonus, 0) AS bonus,
        CASE WHEN e.{tie.denominator} = 0 AND e.{tie.numerator} > 0 THEN 1 ELSE 0 END AS tie_flag,
        CASE WHEN e.{tie.denominator} = 0 THEN 0 ELSE e.{tie.numerator} / e.{tie.denominator} END AS tie_value
      FROM live e JOIN b USING (area) LEFT JOIN bonus ON bonus.enterprise = e.id),
    ranked AS (
      SELECT *, score + bonus AS total,
        ROW_NUMBER() OVER (PARTITION BY area ORDER BY score + bonus DESC, tie_flag DESC, tie_value DESC, uscc)
          AS rank
      FROM scored)
    SELECT uscc, area, rank,
      CASE WHEN rank <= n * {share["A"]} // 10000 THEN 'A'
           WHEN rank <= n * {share["A"]} // 10000 + n * {share["B"]} // 10000 THEN 'B'
           WHEN rank > n - n * {share["D"]} // 10000 THEN 'D' ELSE 'C' END AS class,
      total
    FROM ranked"""


def run_duckdb(scale: float) -> dict:
    import duckdb
    import polars as pl

    sys.path.insert(0, str(ROOT / "src"))
    from renewal.planning import schema

    plan = schema.read_plan(PLAN_FILE)
    areas = [a.code for a in plan.areas]
    rows = generate(scale, areas)
    n = len(rows["area"])
    e = pl.DataFrame(
        {
            "id": np.arange(n),
            "uscc": [uscc(i) for i in range(n)],
            "area": np.array(areas)[rows["area"]],
            **{k: rows[k].astype(float) for k in FIELDS},
        }
    )
    p = pl.DataFrame(
        {
            "id": np.arange(len(rows["p_ent"])),
            "enterprise": rows["p_ent"],
            "end_date": [dt.date.fromordinal(d) for d in rows["p_end"].tolist()],
            "equipment": rows["p_eq"],
        }
    )
    st = steps(rows)
    s = pl.DataFrame(
        {"project": [x[0] for x in st], "to_status": [x[2] for x in st], "effective_on": [x[4] for x in st]}
    )
    con = duckdb.connect()
    folder = SQLITE_PATH.parent
    folder.mkdir(parents=True, exist_ok=True)
    for name, frame in (("e", e), ("p", p), ("s", s)):
        frame.write_parquet(folder / f"mujun_{name}.parquet")
        con.execute(f"CREATE TABLE {name} AS SELECT * FROM read_parquet('{folder}/mujun_{name}.parquet')")
    sql = duckdb_sql(plan, YEAR)
    con.execute(sql).fetchall()  # warm-up
    times = []
    for _ in range(RUNS):
        t0 = time.perf_counter()
        result = con.execute(sql).fetchall()
        times.append((time.perf_counter() - t0) * 1000)
    return {
        "backend": "duckdb",
        "query_ms": round(statistics.median(times), 1),
        "items": {u: [a, r, k, t] for u, a, r, k, t in result},
    }


def agreement(ours: dict, duck: dict) -> dict:
    same_class = sum(1 for u, v in ours.items() if u in duck and duck[u][2] == v[2])
    same_rank = sum(1 for u, v in ours.items() if u in duck and duck[u][1] == v[1])
    # our totals are rounded half up to 2 decimals; DuckDB's are floats
    off = max((abs(duck[u][3] - v[3]) for u, v in ours.items() if u in duck), default=0.0)
    return {
        "n": len(ours),
        "same_set": set(ours) == set(duck),
        "same_class": same_class,
        "same_rank": same_rank,
        "max_total_diff": round(off, 6),
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--small", action="store_true", help="1/10 of the scale")
    parser.add_argument("--backend", choices=["sqlite", "postgres"], help=argparse.SUPPRESS)
    parser.add_argument("--only", choices=["sqlite", "postgres"], help="run one database backend only")
    args = parser.parse_args()
    scale = 0.1 if args.small else 1.0
    if args.backend:
        print(json.dumps(run_backend(args.backend, scale), ensure_ascii=False))
        return
    results = []
    for backend in [args.only] if args.only else ["sqlite", "postgres"]:
        cmd = [sys.executable, __file__, "--backend", backend] + (["--small"] if args.small else [])
        env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
        out = subprocess.run(cmd, capture_output=True, text=True, cwd=ROOT, env=env)
        if out.returncode != 0:
            print(out.stderr[-3000:], file=sys.stderr)
            raise SystemExit(f"{backend} 基准运行失败")
        results.append(json.loads(out.stdout.strip().splitlines()[-1]))
    duck = run_duckdb(scale)
    print(f"规模：{results[0]['enterprises']:,} 家参评企业，{YEAR}年；中位数，{RUNS} 次")
    print(
        f"{'':10} {'评价ms':>8} {'最快ms':>8} {'CPU ms':>8} {'读取ms':>8} {'规则ms':>8} {'JSON ms':>8} "
        f"{'对DuckDB':>8} {'装载s':>6}"
    )
    for r in results:
        ratio = r["evaluation_ms"] / duck["query_ms"]
        print(
            f"{r['backend']:10} {r['evaluation_ms']:>8} {r['best_ms']:>8} {r['evaluation_cpu_ms']:>8} "
            f"{r['facts_ms']:>8} {r['rule_ms']:>8} {r['item_json_ms']:>8} {ratio:>7.1f}× {r['load_s']:>6}"
        )
        a = agreement(r["items"], duck["items"])
        print(
            f"{'':10} 与 DuckDB：企业集合{'相同' if a['same_set'] else '不同'}，分类一致 {a['same_class']:,}/{a['n']:,}，"
            f"名次一致 {a['same_rank']:,}/{a['n']:,}，总分最大差 {a['max_total_diff']}；获加分企业 {r['bonus_items']:,}"
        )
    print(f"{'duckdb':10} {duck['query_ms']:>8}（同一算法，一条 SQL，浮点，内存）")
    summary = [{k: v for k, v in r.items() if k != "items"} for r in results]
    print(json.dumps({"results": summary, "duckdb_ms": duck["query_ms"]}, ensure_ascii=False))


if __name__ == "__main__":
    main()
