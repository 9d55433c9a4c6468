"""Forecast backtest: the year-end forecast made at the end of March, June and September against
the full year's actual, per target and area, on the demo world (issue 13 item 6).

``renewal demo --through M`` is the demo world as known at the end of M (registry/demo.py), so a
forecast made on it at M's last day can be judged against the same world's actual at 31 December.
For each seed and cut, the demo is loaded with ``--through M`` into a fresh SQLite database
(migrated once, copied) and every target is computed for the city and each area at M's last day
(``indicators.selectors.indicators``); the full world (``--through 2024-12``) gives the actual at
2024-12-31. Each phase runs the CLI's own ``demo`` command in its own process.

Reported per target, area and cut: forecast, actual, absolute percentage error |f − a| / |a|
(none when there is no forecast or the actual is 0); per target and cut: the city's error and the
mean absolute percentage error over the city and the areas (MAPE). ``errors`` turns a run into
what a page publishes next to a forecast ("预测误差约±8%").

    .venv/bin/python bench/forecast.py [--seeds 7 8 9] [--cuts 03 06 09] [--detail] [--json out.json]
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
YEAR = 2024
CUTS = ("03", "06", "09")
FULL = "12"
PUBLISHED_CUT = "06"  # the cut whose error a page shows
HIDE_ABOVE = 0.25  # a measure whose city error exceeds this shows no forecast


def month_end(month: str) -> dt.date:
    m = int(month)
    return (dt.date(YEAR + m // 12, m % 12 + 1, 1)) - dt.timedelta(days=1)


# -- phases (each in its own process: Django settings are per process) ----------------------------


def setup_django(db: Path) -> None:
    os.environ["DATABASE_URL"] = f"sqlite:///{db}"
    os.environ["DEBUG"] = "0"
    os.environ.setdefault("SECRET_KEY", "bench-only")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "renewal.settings")
    sys.path.insert(0, str(ROOT / "src"))
    import django

    django.setup()


def phase_template(db: Path) -> dict:
    setup_django(db)
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    return {}


def phase_figures(db: Path, seed: int, through: str, as_of: list[str]) -> dict:
    """Load the demo cut at ``through`` (YYYY-MM) and compute every target for the city and each
    area at each ``as_of``: {as_of: {area code: {target_id: {name, forecast, actual}}}}."""
    setup_django(db)
    from django.core.management import call_command

    from renewal.indicators import selectors
    from renewal.indicators.selectors import active_plan, indicators

    # the forecast itself, not what a page shows: no published error hides a forecast here
    selectors.forecast_errors = lambda: {}
    t = time.perf_counter()
    call_command("demo", "--seed", str(seed), "--through", through, stdout=open(os.devnull, "w"))
    load_s = time.perf_counter() - t
    plan = active_plan()
    out = {}
    for day in as_of:
        result = indicators(plan, YEAR, dt.date.fromisoformat(day))
        out[day] = {
            area: {
                it["target_id"]: {
                    "name": it["name"],
                    "forecast": (it["forecast"] or {}).get("value"),
                    "actual": it["actual"],
                }
                for it in items
            }
            for area, items in result.items.items()
        }
    return {"figures": out, "load_seconds": load_s, "city": plan.city.code}


def run_phase(args: list[str]) -> dict:
    out = subprocess.run([sys.executable, __file__, *args], capture_output=True, text=True, check=False)
    if out.returncode:
        sys.stderr.write(out.stderr)
        raise SystemExit(out.returncode)
    return json.loads(out.stdout.strip().splitlines()[-1])


# -- the backtest ----------------------------------------------------------------------------------


def ape(forecast: float | None, actual: float | None) -> float | None:
    """Absolute percentage error; None without a forecast or with an actual of 0."""
    if forecast is None or actual in (None, 0):
        return None
    return abs(forecast - actual) / abs(actual)


def load(template: Path, seed: int, month: str, as_of: list[str]) -> dict:
    """The figures of the demo (``seed``) cut at ``month``, in a fresh copy of the migrated database."""
    db = template.with_name(f"demo-{seed}-{month}.sqlite3")
    shutil.copy(template, db)
    r = run_phase(
        ["--phase", "figures", "--db", str(db), "--seed", str(seed), "--through", f"{YEAR}-{month}"]
        + ["--as-of", *as_of]
    )
    db.unlink()
    print(f"seed {seed}, --through {YEAR}-{month}: loaded in {r['load_seconds']:.1f} s", flush=True)
    return r


def backtest(seeds: list[int], cuts: list[str], tmp: Path) -> dict:
    template = tmp / "template.sqlite3"
    run_phase(["--phase", "template", "--db", str(template)])
    rows, same = [], []
    ends = {m: month_end(m).isoformat() for m in cuts}
    for seed in seeds:
        full = load(template, seed, FULL, [*ends.values(), month_end(FULL).isoformat()])
        city = full["city"]
        actual = full["figures"][month_end(FULL).isoformat()]
        for m in cuts:
            cut = load(template, seed, m, [ends[m]])["figures"][ends[m]]
            # the identity a cut promises: the cut's figures equal the full world's at the same date
            same.append({"seed": seed, "cut": m, "same": cut == full["figures"][ends[m]]})
            for area, items in cut.items():
                for target_id, it in items.items():
                    a = actual[area][target_id]["actual"]
                    rows.append(
                        {
                            "seed": seed,
                            "cut": m,
                            "target_id": target_id,
                            "name": it["name"],
                            "area": area,
                            "is_city": area == city,
                            "forecast": it["forecast"],
                            "actual": a,
                            "ape": ape(it["forecast"], a),
                        }
                    )
    return {
        "seeds": seeds,
        "cuts": cuts,
        "year": YEAR,
        "rows": rows,
        "summary": summarise(rows),
        "same": same,
    }


def summarise(rows: list[dict]) -> list[dict]:
    """Per target and cut: the city's error and the MAPE over the city and the areas (all seeds)."""
    groups: dict[tuple[str, str], list[dict]] = {}
    for r in rows:
        groups.setdefault((r["target_id"], r["cut"]), []).append(r)
    out = []
    for (target_id, cut), rs in groups.items():
        errors = [r["ape"] for r in rs if r["ape"] is not None]
        city = [r for r in rs if r["is_city"]]
        city_errors = [r["ape"] for r in city if r["ape"] is not None]
        out.append(
            {
                "target_id": target_id,
                "name": rs[0]["name"],
                "cut": cut,
                "city_forecast": statistics.mean(r["forecast"] for r in city if r["ape"] is not None)
                if city_errors
                else None,
                "city_actual": statistics.mean(r["actual"] for r in city if r["actual"] is not None)
                if any(r["actual"] is not None for r in city)
                else None,
                "city_error": statistics.mean(city_errors) if city_errors else None,
                "mape": statistics.mean(errors) if errors else None,
                "n": len(errors),
                "with_forecast": sum(r["forecast"] is not None for r in rs),
            }
        )
    return out


def errors(report: dict, cut_month: str = PUBLISHED_CUT) -> dict[str, dict]:
    """What a page publishes next to each measure's forecast: {target_id: {cut_month, city_error,
    mape, n, shown}} for the targets with a backtested city error at ``cut_month``; ``shown`` is
    False when the city error exceeds ``HIDE_ABOVE`` (the measure then shows no forecast)."""
    out = {}
    for s in report["summary"]:
        if s["cut"] != cut_month or s["city_error"] is None:
            continue
        out[s["target_id"]] = {
            "cut_month": cut_month,
            "city_error": round(s["city_error"], 4),
            "mape": None if s["mape"] is None else round(s["mape"], 4),
            "n": s["n"],
            "shown": s["city_error"] <= HIDE_ABOVE,
        }
    return out


# -- output ----------------------------------------------------------------------------------------


def pct(x: float | None) -> str:
    return "—" if x is None else f"{x * 100:.1f}%"


def value(x: float | None) -> str:
    if x is None:
        return "—"
    if abs(x) >= 1e8:
        return f"{x / 1e8:.2f}亿"
    if abs(x) >= 1e4:
        return f"{x / 1e4:.0f}万"
    return f"{x:.4g}" if isinstance(x, float) else str(x)


def print_report(report: dict, detail: bool) -> None:
    cuts = report["cuts"]
    by = {(s["target_id"], s["cut"]): s for s in report["summary"]}
    targets = list(dict.fromkeys(s["target_id"] for s in report["summary"]))
    print()
    head = f"{'target':<16}{'actual 12-31':>12}" + "".join(
        f"  | {m}: {'forecast':>10} {'city':>7} {'MAPE':>7} {'n':>3}" for m in cuts
    )
    print(head)
    print("-" * len(head))
    for t in targets:
        first = by[(t, cuts[0])]
        line = f"{t:<16}{value(first['city_actual']):>12}"
        for m in cuts:
            s = by[(t, m)]
            line += f"  | {m}: {value(s['city_forecast']):>10} {pct(s['city_error']):>7} {pct(s['mape']):>7} {s['n']:>3}"
        print(line)
    print(
        "(city: the city's absolute percentage error; MAPE: mean over the city and the areas with a forecast)"
    )
    print()
    for m in cuts:
        shown = [s for s in report["summary"] if s["cut"] == m and s["city_error"] is not None]
        met = [s for s in shown if s["city_error"] <= 0.10]
        hidden = [s["target_id"] for s in shown if s["city_error"] > HIDE_ABOVE]
        print(
            f"cut {m}: {len(met)} of {len(shown)} targets with a city forecast within 10 %;"
            f" above {HIDE_ABOVE:.0%} (no forecast): {', '.join(hidden) or 'none'}"
        )
    same = [s for s in report["same"] if not s["same"]]
    print(
        "cut figures = the full world's at the same date: "
        + (
            "yes, every cut"
            if not same
            else "no for " + ", ".join(f"seed {s['seed']} cut {s['cut']}" for s in same)
        )
    )
    if detail:
        print()
        print(
            f"{'seed':>4} {'cut':>3} {'target':<16} {'area':<8} {'forecast':>12} {'actual':>12} {'error':>8}"
        )
        for r in report["rows"]:
            if r["forecast"] is None and r["actual"] is None:
                continue
            print(
                f"{r['seed']:>4} {r['cut']:>3} {r['target_id']:<16} {r['area']:<8}"
                f" {value(r['forecast']):>12} {value(r['actual']):>12} {pct(r['ape']):>8}"
            )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seeds", type=int, nargs="+", default=[7], help="demo seeds (default 7)")
    parser.add_argument("--cuts", nargs="+", default=list(CUTS), help="cut months of 2024 (default 03 06 09)")
    parser.add_argument("--detail", action="store_true", help="also print every target × area × cut")
    parser.add_argument("--json", type=Path, help="write the whole report (rows, summary, errors) here")
    parser.add_argument(
        "--write",
        action="store_true",
        help="publish each target's city error per cut in src/renewal/indicators/forecast_errors.json",
    )
    parser.add_argument("--phase", help=argparse.SUPPRESS)
    parser.add_argument("--db", help=argparse.SUPPRESS)
    parser.add_argument("--seed", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--through", help=argparse.SUPPRESS)
    parser.add_argument("--as-of", dest="as_of", nargs="+", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.phase == "template":
        print(json.dumps(phase_template(Path(args.db))))
        return
    if args.phase == "figures":
        print(json.dumps(phase_figures(Path(args.db), args.seed, args.through, args.as_of)))
        return

    cuts = [f"{int(m):02d}" for m in args.cuts]
    tmp = Path(tempfile.mkdtemp(prefix="bench-forecast-"))
    try:
        t = time.perf_counter()
        report = backtest(args.seeds, cuts, tmp)
        report["errors"] = errors(report)
        report["seconds"] = time.perf_counter() - t
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    print_report(report, args.detail)
    if args.json:
        args.json.write_text(json.dumps(report, ensure_ascii=False, indent=1))
        print(f"\nwrote {args.json}")
    if args.write:
        write_published(report)


PUBLISHED = ROOT / "src" / "renewal" / "indicators" / "forecast_errors.json"


def write_published(report: dict) -> None:
    """The file the engine reads (indicators.selectors.forecast_errors): each target's city error
    at every cut month, with how it was measured."""
    errors_by_target: dict[str, dict[str, float]] = {}
    for s in sorted(report["summary"], key=lambda s: (s["target_id"], s["cut"])):
        if s["city_error"] is not None:
            errors_by_target.setdefault(s["target_id"], {})[s["cut"]] = round(s["city_error"], 4)
    doc = {
        "measured": dt.date.today().isoformat(),
        "how": (
            f"bench/forecast.py --seeds {' '.join(map(str, report['seeds']))}: the city's absolute "
            f"percentage error of the year-end forecast made at the end of each cut month of {YEAR} "
            "(demo world cut there) against the full year's actual"
        ),
        "errors": errors_by_target,
    }
    PUBLISHED.write_text(json.dumps(doc, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    print(f"wrote {PUBLISHED.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
