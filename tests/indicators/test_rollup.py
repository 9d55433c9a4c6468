"""The roll-ups stay exactly the sums of the registry rows on every kind of write."""

import datetime as dt
from decimal import Decimal

import pytest
from django.db.models import Count, Sum

from renewal.indicators import periods, rollup_sql, services
from renewal.indicators.measures import CHAIN_TYPE as CHAIN
from renewal.indicators.measures import GREEN_TYPE as GREEN
from renewal.indicators.models import CompletionRollup, ProgressRollup, ProjectRollup
from renewal.registry.models import MonthlyProgress, Project

from . import factories as f

pytestmark = pytest.mark.django_db(transaction=False)


def mi(d):
    return periods.month_index(d)


def direct() -> dict:
    rows = (
        MonthlyProgress.objects.filter(project__is_deleted=False)
        .values(
            "project__area_id",
            "project__year",
            "project__provincial_key",
            "project__counted_from",
            "project__counted_until",
            "month",
        )
        .annotate(e=Sum("equipment_investment"), r=Sum("robots"), n=Count("id"))
        .order_by()
    )
    return {
        (
            r["project__area_id"],
            r["project__year"],
            r["project__provincial_key"],
            mi(r["project__counted_from"]),
            mi(r["project__counted_until"]),
            r["month"],
        ): (
            Decimal(r["e"]),
            r["r"],
            r["n"],
        )
        for r in rows
    }


def rollup() -> dict:
    return {
        (
            r.area_code,
            r.project_year,
            r.provincial_key,
            r.counted_from_month,
            r.counted_until_month,
            r.month,
        ): (
            Decimal(r.equipment_investment),
            r.robots,
            r.row_count,
        )
        for r in ProgressRollup.objects.all()
        if r.row_count
    }


def test_inserts_updates_deletes_and_project_changes_keep_the_rollup_exact(loaded_plan):
    p, q = f.project(), f.project(key=False)
    a = f.progress(p, "2024-01", equipment=100, robots=2)
    f.progress(p, "2024-02", equipment=50)
    f.progress(q, "2024-01", equipment=7, robots=1)
    MonthlyProgress.objects.bulk_create(
        [
            MonthlyProgress(project=q, month=a.month.replace(month=m), equipment_investment=1, investment=1)
            for m in (3, 4)
        ]
    )
    assert rollup() == direct()
    a.equipment_investment = Decimal(30)
    a.investment = Decimal(30)
    a.save()
    assert rollup() == direct()
    p.counted_until = dt.date(2024, 3, 5)  # withdrawn (spells.refresh writes it so)
    p.area_id = "330402"
    p.save()
    assert rollup() == direct()
    Project.objects.filter(pk=q.pk).update(counted_from=dt.date(2024, 2, 1))
    assert rollup() == direct()
    MonthlyProgress.objects.filter(month__month=4).update(robots=9)
    q.delete()
    assert rollup() == direct()
    assert direct()  # something is left to compare


# -- The project roll-ups (counts by status stretch, completions by day) ----------------------------


def projects_direct() -> tuple[dict, dict]:
    """Both project roll-ups aggregated from scratch, in Python, from the project rows."""
    by_key: dict = {}
    by_day: dict = {}
    for p in Project.objects.all():
        stretch = (mi(p.counted_from), mi(p.counted_until))
        key = (p.year, p.area_id, p.provincial_key, GREEN in p.types, CHAIN in p.types, *stretch)
        n, total, equipment, energy = by_key.get(key, (0, 0, 0, 0))
        by_key[key] = (
            n + 1,
            total + p.total_investment,
            equipment + p.equipment_investment,
            energy + p.energy_saving,
        )
        if p.end_date:
            day = (p.end_date, p.area_id, mi(p.completed_from), mi(p.completed_until))
            n, energy = by_day.get(day, (0, 0))
            by_day[day] = (n + 1, energy + p.energy_saving)
    return by_key, by_day


def projects_rollup() -> tuple[dict, dict]:
    by_key = {
        (
            r.year,
            r.area_code,
            r.provincial_key,
            r.green,
            r.chain,
            r.counted_from_month,
            r.counted_until_month,
        ): (
            r.project_count,
            Decimal(r.total_investment),
            Decimal(r.equipment_investment),
            Decimal(r.energy_saving),
        )
        for r in ProjectRollup.objects.all()
    }
    by_day = {
        (r.end_date, r.area_code, r.completed_from_month, r.completed_until_month): (
            r.project_count,
            Decimal(r.energy_saving),
        )
        for r in CompletionRollup.objects.all()
    }
    return by_key, by_day


def test_the_type_flags_of_the_triggers_are_the_measures_types():
    assert (rollup_sql.GREEN_TYPE, rollup_sql.CHAIN_TYPE) == (GREEN, CHAIN)


def test_project_rollups_stay_exact_through_inserts_updates_and_deletes(loaded_plan):
    a = f.project(
        types="技术改造、绿色化改造", energy_saving=Decimal("120.50"), end_date=dt.date(2024, 5, 31)
    )
    b = f.project(status="竣工", energy_saving=Decimal("30.25"), end_date=dt.date(2024, 5, 31))
    c = f.project(year=2023, key=False, types="产业链协同创新", start=None)
    f.progress(a, "2024-02", equipment=10)
    ent = f.enterprise(area="330402")
    Project.objects.bulk_create(
        [
            Project(
                code=f"BULK-{i}",
                name=f"批量项目{i}",
                enterprise=ent,
                area_id="330402",
                year=2024,
                types="绿色化改造、产业链协同创新",
                total_investment=Decimal(1000 * i),
                energy_saving=Decimal(i),
                start_date=dt.date(2024, i, 15),
                end_date=dt.date(2024, 12, 31) if i % 2 else None,
                status="已兑现",
                counted_from=dt.date(2024, i, 15),
                completed_from=dt.date(2024, 12, 31),
            )
            for i in (1, 2, 3)
        ]
    )
    assert projects_rollup() == projects_direct()
    # an update of every column the roll-ups read, one at a time
    for field, value in [
        ("counted_from", dt.date(2024, 2, 9)),
        ("counted_until", dt.date(2024, 10, 1)),
        ("completed_from", dt.date(2024, 5, 31)),
        ("completed_until", dt.date(2024, 8, 31)),
        ("area_id", "330402"),
        ("year", 2025),
        ("provincial_key", False),
        ("types", "技术改造"),
        ("start_date", dt.date(2024, 3, 1)),
        ("start_date", None),
        ("end_date", dt.date(2024, 6, 30)),
        ("end_date", None),
        ("total_investment", Decimal("777.77")),
        ("equipment_investment", Decimal("0.01")),
        ("energy_saving", Decimal("0.50")),
    ]:
        setattr(a, field, value)
        a.save()
        assert projects_rollup() == projects_direct(), field
    b.name = "改名不影响汇总"
    b.save()
    Project.objects.filter(area_id="330402").update(
        counted_from=dt.date(2023, 12, 1), end_date=dt.date(2024, 7, 1)
    )
    assert projects_rollup() == projects_direct()
    a.delete()  # with its progress rows
    Project.objects.filter(code__startswith="BULK-").exclude(code="BULK-2").delete()
    assert projects_rollup() == projects_direct()
    c.delete()
    by_key, by_day = projects_rollup()
    assert (by_key, by_day) == projects_direct()
    assert len(by_key) == 2 and len(by_day) == 2  # b and BULK-2 are left; emptied keys are gone


def test_a_rebuild_gives_the_rollups_the_triggers_kept(loaded_plan):
    f.progress(f.project(end_date=dt.date(2024, 4, 30), status="竣工"), "2024-03", equipment=5, robots=1)
    f.project(types="绿色化改造", year=2023)
    kept = projects_rollup(), rollup()
    services.rollups_rebuild()
    assert (projects_rollup(), rollup()) == kept
    assert kept[0][0] and kept[0][1] and kept[1]


def test_soft_deleted_projects_and_progress_leave_every_rollup_and_come_back_on_restore(loaded_plan):
    p = f.project(energy_saving=Decimal("40"), end_date=dt.date(2024, 3, 31), status="竣工")
    q = f.project()
    f.progress(p, "2024-01", equipment=100, robots=2)
    row = f.progress(q, "2024-02", equipment=30)
    full = (rollup(), projects_rollup())

    Project.all_objects.filter(pk=p.pk).update(is_deleted=True)  # soft delete (as record_delete does)
    MonthlyProgress.all_objects.filter(pk=row.pk).update(is_deleted=True)
    assert rollup() == direct() == {}
    assert projects_rollup() == projects_direct()
    assert sum(n for n, *_ in projects_rollup()[0].values()) == 1  # only q is left
    assert projects_rollup()[1] == {}  # p's completion is gone

    Project.all_objects.filter(pk=p.pk).update(is_deleted=False)  # restored
    MonthlyProgress.all_objects.filter(pk=row.pk).update(is_deleted=False)
    assert (rollup(), projects_rollup()) == full
    services.rollups_rebuild()
    assert (rollup(), projects_rollup()) == full


def test_a_migrate_with_nothing_to_apply_leaves_the_triggers_working(loaded_plan):
    from io import StringIO

    from django.core.management import call_command

    p = f.project()
    f.progress(p, "2024-01", equipment=10)
    call_command("migrate", stdout=StringIO())  # what `renewal demo` does on every run
    f.progress(p, "2024-02", equipment=5)
    assert rollup() == direct()
    assert sum(e for e, _, _ in rollup().values()) == 15
