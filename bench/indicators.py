"""Benchmark: all indicators for all areas at one as_of, on a Zhejiang-scale registry.

60,000 enterprises, 200,000 projects (years 2022–2025), 2,400,000 monthly progress rows, plus
honours, first-set products, funds and statistics. The same rows go into SQLite, PostgreSQL and
DuckDB (in memory); the platform computes every target for the city and the 9 areas
(``selectors.indicators``) and answers the API; DuckDB runs the same aggregation on the raw rows as
the reference. The city values of the registry measures must agree.

    .venv/bin/python bench/indicators.py            # SQLite + PostgreSQL (wt_indicators) + DuckDB
    .venv/bin/python bench/indicators.py --small    # 1/20 of the scale, to try it out

Each database backend runs in its own process (Django settings are per process); numbers are the
median of repeated runs after one warm-up.
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
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
SQLITE_PATH = ROOT / "var" / "bench" / "indicators.sqlite3"
POSTGRES_URL = os.environ.get("BENCH_POSTGRES_URL", "postgres://postgres@127.0.0.1:5432/wt_indicators")
YEAR, AS_OF = 2024, dt.date(2024, 9, 30)
COUNTED = ["已入库", "在建", "竣工", "验收通过", "已兑现"]
COMPLETED = ["竣工", "验收通过", "已兑现"]
STATUSES = ["草稿", "已申报", "区县审核通过", "已入库", "在建", "竣工", "验收通过", "已兑现", "退回", "撤销"]
STATUS_W = np.array([4, 7, 6, 14, 38, 15, 9, 4, 2, 1], dtype=float)
TYPES = [
    "技术改造",
    "设备更新",
    "技术改造、绿色化改造",
    "设备更新、智能化改造",
    "技术改造、数字化改造",
    "绿色化改造",
    "技术改造、产业链协同创新",
]
TYPES_W = np.array([30, 25, 15, 12, 10, 7, 1], dtype=float)
RUNS = 7


def generate(scale: float, areas: list[str]) -> dict[str, dict[str, np.ndarray]]:
    """Deterministic rows (same seed → same rows in every process)."""
    rng = np.random.default_rng(2024)
    n_ent, n_proj = int(60_000 * scale), int(200_000 * scale)
    ent_area = rng.integers(0, len(areas), n_ent)
    p_ent = rng.integers(0, n_ent, n_proj)
    p_year = rng.integers(2022, 2026, n_proj)
    p_status = rng.choice(len(STATUSES), n_proj, p=STATUS_W / STATUS_W.sum())
    p_status[p_year < 2024] = rng.choice([5, 6, 7], int((p_year < 2024).sum()))
    p_key = rng.random(n_proj) < 0.4
    p_total = np.round(np.exp(rng.normal(17.3, 0.9, n_proj)) / 10_000) * 10_000
    p_total[rng.random(n_proj) < 0.0008] = 1_500_000_000
    p_types = rng.choice(len(TYPES), n_proj, p=TYPES_W / TYPES_W.sum())
    p_start_month = rng.integers(0, 12, n_proj)
    p_start = p_year * 12 + p_start_month  # month index
    p_energy = np.where(np.isin(p_types, [2, 5]), rng.integers(50, 3000, n_proj), 0)
    done = np.isin(p_status, [5, 6, 7])
    p_end = np.where(done, p_start + rng.integers(4, 14, n_proj), -1)  # month index of completion
    # 12 progress months per project, from its start month
    pr_project = np.repeat(np.arange(n_proj), 12)
    pr_month = p_start[pr_project] + np.tile(np.arange(12), n_proj)
    pr_equipment = np.round(p_total[pr_project] * 0.6 / 12 / 10_000) * 10_000
    pr_robots = rng.integers(0, 3, len(pr_project)) * (rng.random(len(pr_project)) < 0.2)
    h_n = int(6_000 * scale) or 10
    honours = {
        "enterprise": rng.integers(0, n_ent, h_n),
        "kind": rng.choice(
            ["未来工厂", "国家智能制造示范工厂", "灯塔工厂", "绿色工厂", "智能工厂"],
            h_n,
            p=[0.1, 0.05, 0.01, 0.5, 0.34],
        ),
        "level": rng.choice(["省级", "国家级", "市级"], h_n, p=[0.6, 0.2, 0.2]),
        "year": rng.integers(2022, 2026, h_n),
    }
    f_n = int(1_000 * scale) or 10
    first_sets = {
        "enterprise": rng.integers(0, n_ent, f_n),
        "category": rng.choice(["首台套", "首批次", "浙江制造精品"], f_n, p=[0.6, 0.2, 0.2]),
        "level": rng.choice(["省级", "国家级", "市级"], f_n, p=[0.6, 0.2, 0.2]),
        "year": rng.integers(2022, 2026, f_n),
    }
    return {
        "enterprise": {"area": ent_area},
        "project": {
            "enterprise": p_ent,
            "area": ent_area[p_ent],
            "year": p_year,
            "status": p_status,
            "key": p_key,
            "total": p_total,
            "types": p_types,
            "start": p_start,
            "end": p_end,
            "energy": p_energy,
        },
        "progress": {
            "project": pr_project,
            "month": pr_month,
            "equipment": pr_equipment,
            "robots": pr_robots,
        },
        "honour": honours,
        "first_set": first_sets,
    }


def _month_date(index: int) -> dt.date:
    return dt.date(index // 12, index % 12 + 1, 1)


def _month_end(index: int) -> dt.date:
    return _month_date(index + 1) - dt.timedelta(days=1)


# -- one database backend, in its own process --------------------------------------------------------


def run_backend(backend: str, scale: float, reuse: bool = False) -> dict:
    os.environ["DATABASE_URL"] = f"sqlite:///{SQLITE_PATH}" if backend == "sqlite" else POSTGRES_URL
    os.environ["DJANGO_SETTINGS_MODULE"] = "renewal.settings"
    if backend == "sqlite" and not reuse:
        SQLITE_PATH.parent.mkdir(parents=True, exist_ok=True)
        for suffix in ("", "-wal", "-shm"):
            Path(f"{SQLITE_PATH}{suffix}").unlink(missing_ok=True)
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client

    from renewal.indicators import rollup_sql, selectors, services
    from renewal.planning import schema
    from renewal.planning.services import plan_load
    from renewal.registry import demo

    call_command("migrate", verbosity=0)
    plan_doc = schema.read_plan(ROOT / "src" / "renewal" / "plans" / "jiaxing-2024.yaml")
    areas = [a.code for a in plan_doc.areas]
    rows = generate(scale, areas)
    with connection.cursor() as c:
        c.execute("SELECT COUNT(*) FROM registry_monthlyprogress")
        reuse = reuse and c.fetchone()[0] == len(rows["progress"]["project"])
        if backend == "postgres" and not reuse:
            c.execute(
                "TRUNCATE registry_monthlyprogress, registry_project, registry_honour, registry_firstsetproduct, "
                "registry_fund, registry_statistic, registry_enterprise, indicators_progressrollup, "
                "indicators_projectrollup, indicators_completionrollup CASCADE"
            )
    load_s = None
    if not reuse:  # --reuse: the rows of an earlier run are still there; only the roll-ups are rebuilt
        plan_load(plan=plan_doc, source_file="bench")
        t0 = time.perf_counter()
        load(connection, backend, rows, areas, plan_doc, demo)
        load_s = round(time.perf_counter() - t0, 1)
    t0 = time.perf_counter()
    with connection.cursor() as c:  # the bulk load went in without triggers: rebuild, then re-arm
        for statement in rollup_sql.uninstall(connection) + rollup_sql.project_uninstall(connection):
            c.execute(statement)
        services.rollups_rebuild()
        for statement in rollup_sql.install(connection) + rollup_sql.project_install(connection):
            c.execute(statement)
        c.execute("ANALYZE")
    rollup_s = time.perf_counter() - t0
    # the cost of keeping the roll-ups exact: 2,000 progress updates and 2,000 project updates with
    # the triggers armed, done and undone (the figures below stay those of the generated rows)
    trigger_ms = {}
    for table, column in (("registry_monthlyprogress", "robots"), ("registry_project", "energy_saving")):
        t0 = time.perf_counter()
        with connection.cursor() as c:
            for delta in ("+ 1", "- 1"):
                c.execute(
                    f"UPDATE {table} SET {column} = {column} {delta} WHERE id IN "
                    f"(SELECT id FROM {table} ORDER BY id LIMIT 1000)"
                )
        trigger_ms[table] = round((time.perf_counter() - t0) * 1000, 1)

    plan = selectors.active_plan()
    selectors.indicators(plan, YEAR, AS_OF)  # warm-up
    facts_ms, total_ms, api_ms = [], [], []
    from renewal.indicators import engine

    query_ms: dict[str, list[float]] = {}  # each grouped query, by the table it reads

    def timed(execute, sql, params, many, context):
        t0 = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            table = sql.split(" FROM ", 1)[-1].split()[0].strip('"')
            query_ms.setdefault(table, []).append((time.perf_counter() - t0) * 1000)

    with connection.execute_wrapper(timed):
        selectors.indicator_facts(plan, YEAR, AS_OF)
    query_ms.clear()
    with connection.execute_wrapper(timed):
        for _ in range(RUNS):
            selectors.indicator_facts(plan, YEAR, AS_OF)
    for _ in range(RUNS):
        t0 = time.perf_counter()
        facts = selectors.indicator_facts(plan, YEAR, AS_OF)
        t1 = time.perf_counter()
        result = engine.compute(plan, facts)
        t2 = time.perf_counter()
        facts_ms.append((t1 - t0) * 1000)
        total_ms.append((t2 - t0) * 1000)
    from django.contrib.auth import get_user_model

    from renewal.accounts.tokens import token_create

    user, _ = get_user_model().objects.get_or_create(username="bench-viewer")
    _, token = token_create(user=user, name="bench")
    client = Client(headers={"Authorization": f"Bearer {token}"})
    for _ in range(RUNS):
        t0 = time.perf_counter()
        response = client.get("/api/v1/indicators", {"year": YEAR, "as_of": AS_OF.isoformat()})
        api_ms.append((time.perf_counter() - t0) * 1000)
        assert response.status_code == 200, response.content[:300]
    city = {i["target_id"]: i["actual"] for i in result.for_area(None) if i["source"] == "registry"}
    with connection.cursor() as c:
        c.execute("SELECT COUNT(*) FROM registry_monthlyprogress")
        progress_rows = c.fetchone()[0]
    return {
        "backend": backend,
        "progress_rows": progress_rows,
        "load_s": load_s,
        "rollup_rebuild_s": round(rollup_s, 2),
        "trigger_2000_updates_ms": trigger_ms["registry_monthlyprogress"],
        "trigger_2000_project_updates_ms": trigger_ms["registry_project"],
        "query_ms": {t: round(statistics.median(v), 1) for t, v in query_ms.items()},
        "queries_ms": round(statistics.median(facts_ms), 1),
        "indicators_ms": round(statistics.median(total_ms), 1),
        "api_ms": round(statistics.median(api_ms), 1),
        "city": city,
    }


def load(connection, backend: str, rows: dict, areas: list[str], plan_doc, demo) -> None:
    now = dt.datetime(2024, 10, 1, tzinfo=dt.UTC)
    ent, proj, prog = rows["enterprise"], rows["project"], rows["progress"]
    enterprises = [
        (i + 1, now, now, f"BENCH{i:013d}", False, f"企业{i}", areas[a], "17", True, False, False, False)
        for i, a in enumerate(ent["area"].tolist())
    ]
    projects = []
    for i in range(len(proj["year"])):
        end = int(proj["end"][i])
        projects.append(
            (
                i + 1,
                now,
                now,
                f"B{i:07d}",
                f"项目{i}",
                int(proj["enterprise"][i]) + 1,
                areas[int(proj["area"][i])],
                int(proj["year"][i]),
                TYPES[int(proj["types"][i])],
                bool(proj["key"][i]),
                float(proj["total"][i]),
                float(proj["total"][i]) * 0.6,
                0,
                0,
                0,
                int(proj["energy"][i]),
                False,
                _month_date(int(proj["start"][i])),
                _month_end(end) if end >= 0 else None,
                STATUSES[int(proj["status"][i])],
            )
        )
    months = {m: _month_date(m) for m in np.unique(prog["month"]).tolist()}
    progress = zip(
        range(1, len(prog["project"]) + 1),
        (int(p) + 1 for p in prog["project"]),
        (months[m] for m in prog["month"].tolist()),
        prog["equipment"].tolist(),
        prog["robots"].tolist(),
        strict=True,
    )
    progress = ((i, now, now, p, m, e, e, r, 0) for i, p, m, e, r in progress)
    ent_cols = "id, created_at, updated_at, uscc, uscc_confirmed, name, area_id, industry_code, above_scale, high_tech, ic_enterprise, machine_tool_enterprise"
    proj_cols = (
        "id, created_at, updated_at, code, name, enterprise_id, area_id, year, types, provincial_key, total_investment, "
        "equipment_investment, first_set_purchase, new_robots, new_cnc, energy_saving, new_land, start_date, end_date, status"
    )
    prog_cols = "id, created_at, updated_at, project_id, month, investment, equipment_investment, robots, cnc"
    h, fs = rows["honour"], rows["first_set"]
    keys = dict.fromkeys(
        zip(
            h["enterprise"].tolist(), h["kind"].tolist(), h["level"].tolist(), h["year"].tolist(), strict=True
        )
    )
    honours = [(i + 1, now, now, e + 1, k, lv, y) for i, (e, k, lv, y) in enumerate(keys)]
    first_sets = [
        (i + 1, now, now, e + 1, f"产品{i}", c, lv, y)
        for i, (e, c, lv, y) in enumerate(
            zip(
                fs["enterprise"].tolist(),
                fs["category"].tolist(),
                fs["level"].tolist(),
                fs["year"].tolist(),
                strict=True,
            )
        )
    ]
    funds = [
        (i + 1, now, now, y, lv, "资金", amount, None, "")
        for i, (y, lv, amount) in enumerate(
            (y, lv, a)
            for y in (2023, 2024)
            for lv, a in (("省级", 1.5e8), ("国家级", 0.4e8), ("市级", 1.8e8))
        )
    ]
    import random

    stats = []
    for i, s in enumerate(demo._statistics(plan_doc, random.Random(7), YEAR, dt.date(2024, 9, 1))):
        period = s["period"]
        stats.append(
            (
                i + 1,
                now,
                now,
                s["indicator"],
                s["area_code"],
                period,
                int(period[:4]),
                int(period[5:7] or 12) if len(period) == 7 else 12,
                s["value"],
            )
        )
    tables = [
        ("registry_enterprise", ent_cols, enterprises),
        ("registry_project", proj_cols, projects),
        ("registry_monthlyprogress", prog_cols, progress),
        (
            "registry_honour",
            "id, created_at, updated_at, enterprise_id, kind, level, year",
            honours,
        ),
        (
            "registry_firstsetproduct",
            "id, created_at, updated_at, enterprise_id, product_name, category, level, year",
            first_sets,
        ),
        ("registry_fund", "id, created_at, updated_at, year, level, purpose, amount, area_id, note", funds),
        (
            "registry_statistic",
            "id, created_at, updated_at, indicator, area_code, period, year, month, value",
            stats,
        ),
    ]
    from renewal.indicators import rollup_sql as sql  # bulk load without the triggers; rebuilt after

    with connection.cursor() as c:
        for statement in sql.uninstall(connection) + sql.project_uninstall(connection):
            c.execute(statement)
        if backend == "postgres":
            raw = c.connection
            for table, cols, data in tables:
                with raw.cursor().copy(f"COPY {table} ({cols}) FROM STDIN") as copy:
                    for row in data:
                        copy.write_row(row)
        else:
            c.execute("PRAGMA synchronous=OFF")
            for table, cols, data in tables:
                marks = ", ".join(["%s"] * len(cols.split(",")))
                batch = []
                for row in data:
                    batch.append(row)
                    if len(batch) == 50_000:
                        c.executemany(f"INSERT INTO {table} ({cols}) VALUES ({marks})", batch)
                        batch = []
                if batch:
                    c.executemany(f"INSERT INTO {table} ({cols}) VALUES ({marks})", batch)
    if backend == "postgres":
        with connection.cursor() as c:
            for table, _, _ in tables:
                c.execute(
                    f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT COALESCE(MAX(id), 1) FROM {table}))"
                )


# -- the DuckDB reference ------------------------------------------------------------------------------


def run_duckdb(scale: float) -> dict:
    import duckdb
    import polars as pl
    import yaml

    plan = yaml.safe_load(
        (ROOT / "src" / "renewal" / "plans" / "jiaxing-2024.yaml").read_text(encoding="utf-8")
    )
    areas = [a["code"] for a in plan["areas"]]
    rows = generate(scale, areas)
    p, pr = rows["project"], rows["progress"]
    con = duckdb.connect()
    project = pl.DataFrame(
        {
            "id": np.arange(len(p["year"])),
            "area": np.array(areas)[p["area"]],
            "year": p["year"],
            "status": np.array(STATUSES)[p["status"]],
            "key": p["key"],
            "total": p["total"],
            "types": np.array(TYPES)[p["types"]],
            "start_month": p["start"],
            "end_month": p["end"],
            "energy": p["energy"],
        }
    )
    progress = pl.DataFrame(
        {"project": pr["project"], "month": pr["month"], "equipment": pr["equipment"], "robots": pr["robots"]}
    )
    enterprise_area = np.array(areas)[rows["enterprise"]["area"]]
    honour = pl.DataFrame(
        {
            "enterprise": rows["honour"]["enterprise"],
            "kind": rows["honour"]["kind"],
            "level": rows["honour"]["level"],
            "year": rows["honour"]["year"],
        }
    ).with_columns(pl.Series("area", enterprise_area[rows["honour"]["enterprise"]]))
    first_set = pl.DataFrame(rows["first_set"]).with_columns(
        pl.Series("area", enterprise_area[rows["first_set"]["enterprise"]])
    )
    folder = SQLITE_PATH.parent
    folder.mkdir(parents=True, exist_ok=True)
    for name, frame in (("p", project), ("mp", progress), ("h", honour), ("f", first_set)):
        frame.write_parquet(folder / f"{name}.parquet")  # polars → parquet → DuckDB (no pyarrow needed)
        con.execute(f"CREATE TABLE {name} AS SELECT * FROM read_parquet('{folder / name}.parquet')")
    y0, at = YEAR * 12, AS_OF.year * 12 + AS_OF.month - 1
    counted = ", ".join(f"'{s}'" for s in COUNTED)
    completed = ", ".join(f"'{s}'" for s in COMPLETED)
    queries = {
        "progress": f"""SELECT p.area, mp.month,
              SUM(mp.equipment) FILTER (WHERE p.year = {YEAR} AND p.key AND p.status IN ({counted})) AS equipment,
              SUM(mp.robots) FILTER (WHERE p.status IN ({counted})) AS robots
            FROM mp JOIN p ON p.id = mp.project WHERE mp.month BETWEEN {y0 - 12} AND {at} GROUP BY ALL""",
        "projects": f"""SELECT area, year, start_month, end_month,
              COUNT(*) FILTER (WHERE key AND status IN ({counted})) AS key,
              COUNT(*) FILTER (WHERE key AND status IN ({counted}) AND total >= 1e9) AS large,
              COUNT(*) FILTER (WHERE status IN ({counted}) AND types LIKE '%绿色化改造%') AS green,
              COUNT(*) FILTER (WHERE status IN ({counted}) AND types LIKE '%产业链协同创新%') AS chain,
              SUM(energy) FILTER (WHERE status IN ({completed}) AND end_month BETWEEN {y0} AND {at}) AS energy
            FROM p WHERE (year IN ({YEAR}, {YEAR - 1}) AND status IN ({counted}))
               OR (status IN ({completed}) AND end_month BETWEEN {y0} AND {at}) GROUP BY ALL""",
        "honours": f"""SELECT area, first_demo, first_green, COUNT(*) FROM (
              SELECT enterprise, ANY_VALUE(area) AS area,
                MIN(year) FILTER (WHERE (kind = '未来工厂' AND level = '省级') OR kind IN ('国家智能制造示范工厂', '灯塔工厂')) AS first_demo,
                MIN(year) FILTER (WHERE kind = '绿色工厂' AND level IN ('省级', '国家级')) AS first_green
              FROM h WHERE year BETWEEN 2024 AND {YEAR} GROUP BY enterprise) GROUP BY ALL""",
        "first_sets": f"SELECT area, COUNT(*) FROM f WHERE category = '首台套' AND level IN ('省级', '国家级') AND year = {YEAR} GROUP BY ALL",
    }
    for q in queries.values():
        con.execute(q).fetchall()  # warm-up
    times = []
    for _ in range(RUNS):
        t0 = time.perf_counter()
        results = {k: con.execute(q).fetchall() for k, q in queries.items()}
        times.append((time.perf_counter() - t0) * 1000)
    prog = results["progress"]
    projects = results["projects"]
    city = {
        "T1.projects": sum(r[4] for r in projects if r[1] == YEAR),
        "T1.large": sum(r[5] for r in projects if r[1] == YEAR),
        "T8.green": sum(r[6] for r in projects if r[1] == YEAR),
        "T6": sum(r[7] for r in projects if r[1] == YEAR),
        "P14.energy": sum(r[8] or 0 for r in projects),
        "T1.equipment": sum(r[2] or 0 for r in prog if r[1] >= y0),
        "T5": sum(r[3] or 0 for r in prog if r[1] >= y0),
        "T2.demo": sum(r[3] for r in results["honours"] if r[1] is not None),
        "T2.green": sum(r[3] for r in results["honours"] if r[2] is not None),
        "T3": sum(r[1] for r in results["first_sets"]),
    }
    return {"backend": "duckdb", "queries_ms": round(statistics.median(times), 1), "city": city}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--small", action="store_true", help="1/20 of the scale")
    parser.add_argument("--backend", choices=["sqlite", "postgres"], help=argparse.SUPPRESS)
    parser.add_argument("--only", choices=["sqlite", "postgres"], help="run one database backend only")
    parser.add_argument("--reuse", action="store_true", help="keep the rows of an earlier run (same scale)")
    args = parser.parse_args()
    scale = 0.05 if args.small else 1.0
    if args.backend:
        print(json.dumps(run_backend(args.backend, scale, args.reuse), ensure_ascii=False))
        return
    results = []
    for backend in [args.only] if args.only else ["sqlite", "postgres"]:
        cmd = [sys.executable, __file__, "--backend", backend]
        cmd += (["--small"] if args.small else []) + (["--reuse"] if args.reuse else [])
        out = subprocess.run(cmd, capture_output=True, text=True, cwd=ROOT)
        if out.returncode != 0:
            print(out.stderr[-3000:], file=sys.stderr)
            raise SystemExit(f"{backend} 基准运行失败")
        results.append(json.loads(out.stdout.strip().splitlines()[-1]))
    duck = run_duckdb(scale)
    print(f"规模：{results[0]['progress_rows']:,} 条月度进度；{YEAR}年，截至 {AS_OF}；中位数，{RUNS} 次")
    print(
        f"{'':10} {'查询ms':>8} {'全部指标ms':>10} {'API ms':>8} {'对DuckDB':>8} {'装载s':>7} {'汇总重建s':>9} {'触发器2000次ms':>14}"
    )
    for r in results:
        ratio = r["api_ms"] / duck["queries_ms"]
        print(
            f"{r['backend']:10} {r['queries_ms']:>8} {r['indicators_ms']:>10} {r['api_ms']:>8} {ratio:>7.1f}× "
            f"{r['load_s'] or '—':>7} {r['rollup_rebuild_s']:>9} {r['trigger_2000_updates_ms']:>14}"
        )
        same = {
            k: (r["city"].get(k), v)
            for k, v in duck["city"].items()
            if abs((r["city"].get(k) or 0) - v) > 0.01
        }
        print(f"{'':10} 与 DuckDB 全市值一致：{'是' if not same else '否 ' + str(same)}")
        print(
            f"{'':10} 各查询ms：{r['query_ms']}；项目触发器2000次ms：{r['trigger_2000_project_updates_ms']}"
        )
    print(f"{'duckdb':10} {duck['queries_ms']:>8}（原始行上的同一聚合，内存）")
    print(json.dumps({"results": results, "duckdb": duck}, ensure_ascii=False))


if __name__ == "__main__":
    main()
