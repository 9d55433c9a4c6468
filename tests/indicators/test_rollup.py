"""The progress roll-up stays exactly the sum of the progress rows on every kind of write."""

from decimal import Decimal

import pytest
from django.db.models import Count, Sum

from renewal.indicators.models import ProgressRollup
from renewal.registry.models import MonthlyProgress

from . import factories as f

pytestmark = pytest.mark.django_db(transaction=False)


def direct() -> dict:
    rows = (
        MonthlyProgress.objects.values(
            "project__area_id", "project__year", "project__provincial_key", "project__status", "month"
        )
        .annotate(e=Sum("equipment_investment"), r=Sum("robots"), n=Count("id"))
        .order_by()
    )
    return {
        (
            r["project__area_id"],
            r["project__year"],
            r["project__provincial_key"],
            r["project__status"],
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
        (r.area_code, r.project_year, r.provincial_key, r.status, r.month): (
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
    p.status = "撤销"
    p.area_id = "330402"
    p.save()
    assert rollup() == direct()
    MonthlyProgress.objects.filter(month__month=4).update(robots=9)
    q.delete()
    assert rollup() == direct()
    assert direct()  # something is left to compare
