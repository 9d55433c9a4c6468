"""Each registry measure is declared once (``measures.MEASURES``): its aggregate and its drill-down
come from that one declaration, so the records behind a number sum to it — for every measure,
including one added later, at dates on both sides of a year and for the city and every area."""

import datetime as dt

import pytest

from renewal.indicators import measures, rollup_sql, selectors
from renewal.planning import schema
from renewal.registry import demo
from renewal.registry.services import demo_dataset_load

from . import factories as f

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo_like(loaded_plan, jiaxing):
    demo_dataset_load(
        data=demo.build(jiaxing, seed=7, enterprises=150, projects_per_year=100), plan_id=jiaxing.id
    )
    ent = f.enterprise("330402")
    chain = f.project(ent, types="产业链协同创新", start=dt.date(2024, 2, 1))  # the demo has no chain project
    f.fund(2024, "省级", 2_000_000, area="330402", project=chain)  # an allocation to a project (T8)
    f.project(ent, total=12 * f.YI, start=None)  # large, not started: counts from as_of's month
    f.fund(2024, "市级", 70_000_000)  # a fund of the city itself (no area)
    f.first_set(ent, "首台套", "省级", 2024)  # no 认定日期: counts from 1 January (the demo's come later)
    # finance (P12): the demo makes no loans or fund investments of its own
    f.drawdown(f.loan(chain, dt.date(2024, 2, 10), 8_000_000, relending=True), dt.date(2024, 3, 5), 5_000_000)
    f.loan(chain, dt.date(2024, 3, 1), 3_000_000)
    f.fund_investment(ent, dt.date(2024, 1, 20), 20_000_000)
    return selectors.active_plan()


def plan_with_every_measure(plan: schema.Plan) -> schema.Plan:
    """The plan, with a cumulative target for each measure no target of the plan uses yet."""
    used = {t.source.registry for t in plan.targets}
    extra = [
        schema.Target(
            id=f"X{i}.m",
            clause=plan.clauses[0].id,
            name=code,
            kind="amount",
            comparator=">=",
            value=1,
            unit="count",
            display="",
            period=schema.Period(cumulative=f"{plan.start_year}-01..{plan.end_year}-12"),
            source=schema.Source(registry=code, threshold=1 if m.threshold else None),
        )
        for i, (code, m) in enumerate(measures.MEASURES.items())
        if code not in used
    ]
    return plan.model_copy(update={"targets": [*plan.targets, *extra]})


@pytest.mark.parametrize("year,as_of", [(2024, "2024-03-31"), (2025, "2025-02-15")])
def test_every_measure_drills_down_to_records_that_sum_to_its_aggregate(demo_like, year, as_of):
    plan = plan_with_every_measure(demo_like)
    as_of = dt.date.fromisoformat(as_of)
    result = selectors.indicators(plan, year, as_of)
    by_measure = {t.source.registry: t for t in plan.targets if t.source.registry}
    assert set(by_measure) == set(measures.MEASURES)
    counted = set()
    for code, t in by_measure.items():
        for area in [None] + [a.code for a in plan.areas]:
            item = next(i for i in result.for_area(area) if i["target_id"] == t.id)
            records = selectors.indicator_records(plan, t.id, selectors.Query(year, as_of, area))
            assert records["total"] == pytest.approx(item["actual"] or 0), (code, area)
            assert all(r["value"] for r in records["rows"]), (code, area)  # no row of nothing
            if records["total"]:
                counted.add(code)
    if year == 2024:
        assert counted == set(measures.MEASURES)  # the data makes every measure count something


def test_every_measure_reads_only_what_its_table_or_roll_up_keeps():
    for m in measures.MEASURES.values():
        assert m.table in measures.TABLES, m.code
        if m.rollup:
            r = measures.ROLLUPS[m.rollup]
            assert r.table == m.table, m.code
            assert m.value is None or m.value in r.sums, m.code
            if m.stock:  # dated by its status stretch
                stretch = measures.TABLES[m.table].project + m.status
                assert {stretch + "_from", stretch + "_until"} <= set(r.keys), m.code
            else:
                assert m.date in r.keys, m.code
            for lookup, value in m.where.items():
                assert (lookup, value) in r.flags or any(
                    lookup == k or lookup.startswith(k + "__") for k in r.keys
                ), (m.code, lookup)


def test_the_triggers_watch_every_project_column_a_roll_up_keeps():
    for name in ("project", "completion"):
        r = measures.ROLLUPS[name]
        columns = {*r.keys, *r.sums, *(lookup.split("__")[0] for lookup, _ in r.flags)}
        assert columns <= set(rollup_sql.PROJECT_COLUMNS), name


def test_planning_knows_every_measure_in_order():
    assert schema.measures_known() == tuple(measures.MEASURES)
