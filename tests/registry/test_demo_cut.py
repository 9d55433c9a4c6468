"""`renewal demo --through M` is the one demo world as known at the end of M (issue 13 item 6)."""

import dataclasses
import datetime as dt

import pytest
from django.core.management import CommandError, call_command
from django.db import transaction

from renewal.indicators.selectors import indicators
from renewal.registry import demo, rules
from renewal.registry.services import demo_dataset_load

FULL = dt.date(2024, 12, 1)
CUTS = [dt.date(2023, 12, 1), dt.date(2024, 3, 1), dt.date(2024, 6, 1), dt.date(2024, 9, 1)]


def last_day(month: dt.date) -> dt.date:
    return (month.replace(day=28) + dt.timedelta(days=4)).replace(day=1) - dt.timedelta(days=1)


def as_known_at(world: demo.DemoData, month: dt.date) -> dict[str, list[dict]]:
    """The full world filtered by hand: what is dated after the month's last day is dropped."""
    end = last_day(month)
    steps = [t for t in world.transitions if t["effective_on"] <= end]
    reached = {}
    for t in steps:
        reached[t["project"]] = t["to_status"]
    projects = []
    for p in world.projects:
        done = p["end_date"] is not None and p["end_date"] <= end
        projects.append(
            {**p, "status": reached.get(p["code"], "草稿"), "end_date": p["end_date"] if done else None}
        )

    def stat_month(period: str) -> tuple[int, int]:
        y, _, m = period.partition("-")
        return int(y), int(m or 12)

    return {
        "enterprises": world.enterprises,
        "projects": projects,
        "progress": [r for r in world.progress if r["month"] <= month],
        "honours": [h for h in world.honours if h["awarded_on"] <= end],
        "first_sets": [f for f in world.first_sets if f["awarded_on"] <= end],
        "catalogue": world.catalogue,
        "providers": world.providers,
        "cases": world.cases,
        "funds": [f for f in world.funds if f["granted_on"] <= end],
        "statistics": [s for s in world.statistics if stat_month(s["period"]) <= (month.year, month.month)],
        "chains": world.chains,
        "transitions": steps,
        "lines": world.lines,  # a project's equipment list is declared with it
        "ledger": [
            {**x, "status": "在用", "eliminated_on": None, "replacement": None}
            if x["eliminated_on"] and x["eliminated_on"] > end
            else x
            for x in world.ledger
        ],
    }


@pytest.fixture(scope="module")
def world(jiaxing):
    return demo.build(jiaxing, seed=7, through=FULL)


@pytest.mark.parametrize("month", CUTS, ids=lambda m: f"{m:%Y-%m}")
def test_a_cut_is_the_full_world_without_what_is_dated_after_its_month(jiaxing, world, month):
    cut = demo.build(jiaxing, seed=7, through=month)
    assert cut.through == month
    expected = as_known_at(world, month)
    for f in dataclasses.fields(demo.DemoData):
        if f.name in ("seed", "through"):
            continue
        assert getattr(cut, f.name) == expected[f.name], f.name


def test_the_full_world_is_the_same_whatever_month_it_is_cut_at(jiaxing, world):
    assert demo.build(jiaxing, seed=7, through=FULL) == world
    assert demo.cut(world, FULL) == world
    june = demo.build(jiaxing, seed=7, through=dt.date(2024, 6, 1))
    assert demo.cut(world, dt.date(2024, 6, 1)) == june
    assert demo.cut(june, dt.date(2024, 3, 1)) == demo.build(jiaxing, seed=7, through=dt.date(2024, 3, 1))


def test_the_default_cut_is_september_of_the_plans_first_year(jiaxing):
    data = demo.build(jiaxing, seed=7, enterprises=150, projects_per_year=100)
    assert data.through == dt.date(2024, 9, 1)


def test_every_dated_record_is_dated_within_its_year(world):
    for rows, date in (
        (world.honours, "awarded_on"),
        (world.first_sets, "awarded_on"),
        (world.funds, "granted_on"),
    ):
        assert rows
        assert all(r[date].year == r["year"] for r in rows), date
    # a year's fund comes in batches, each with its 文号
    assert all(f["document_no"] and "批" in f["purpose"] for f in world.funds)


@pytest.mark.parametrize("month", CUTS, ids=lambda m: f"{m:%Y-%m}")
def test_every_cut_keeps_the_registry_rules_and_a_project_completes_with_its_step(jiaxing, month):
    cut = demo.build(jiaxing, seed=7, through=month)
    end = last_day(month)
    completed = {t["project"] for t in cut.transitions if t["to_status"] == "竣工"}
    for p in cut.projects:
        assert rules.project_problems(p) == {}, p["code"]
        assert (p["end_date"] is not None) == (p["code"] in completed), p["code"]
        assert p["end_date"] is None or p["end_date"] <= end
    assert all(r["month"] <= month for r in cut.progress)
    assert all(t["effective_on"] <= end for t in cut.transitions)


def test_a_cut_after_the_worlds_last_month_is_refused(jiaxing):
    with pytest.raises(ValueError, match="演示数据截至 2024-12"):
        demo.build(jiaxing, seed=7, through=dt.date(2025, 1, 1))


def test_the_command_refuses_a_month_after_the_worlds_last_before_touching_the_database():
    with pytest.raises(CommandError, match="演示数据截至 2024-12，--through 不能晚于该月"):
        call_command("demo", "--through", "2025-01", "--enterprises", "50", "--projects", "20")


def figures(plan) -> dict:
    """Every item of every area at the data dates up to June."""
    out = {}
    for as_of in (dt.date(2024, 3, 31), dt.date(2024, 5, 31), dt.date(2024, 6, 30)):
        result = indicators(plan, 2024, as_of)
        out[as_of] = {"items": result.items, "warnings": result.warnings}
    return out


def differences(a: dict, b: dict) -> list[str]:
    out = []
    for as_of in a:
        if a[as_of]["warnings"] != b[as_of]["warnings"]:
            out.append(f"{as_of} warnings")
        for area, items in a[as_of]["items"].items():
            for x, y in zip(items, b[as_of]["items"][area], strict=True):
                out += [f"{as_of} {area} {x['target_id']} {k}" for k in x if x[k] != y[k]]
    return out


@pytest.mark.django_db
def test_every_figure_at_a_data_date_up_to_the_cut_is_the_same_as_in_the_full_world(jiaxing, loaded_plan):
    # the full world, then (after a rollback to the loaded plan) the world cut at June
    sid = transaction.savepoint()
    demo_dataset_load(data=demo.build(jiaxing, seed=7, through=FULL), plan_id=jiaxing.id)
    full = figures(jiaxing)
    transaction.savepoint_rollback(sid)
    demo_dataset_load(data=demo.build(jiaxing, seed=7, through=dt.date(2024, 6, 1)), plan_id=jiaxing.id)
    cut = figures(jiaxing)
    diff = differences(cut, full)
    assert not diff, f"{len(diff)} figures differ, first: {diff[:20]}"
