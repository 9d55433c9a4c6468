"""Reporting pages open on the last month with data (issue 17, part 5), not on an empty calendar
month: the demo's progress ends in 2024-09 while the calendar is in 2026."""

import datetime as dt
from decimal import Decimal

import pytest

from renewal.registry.models import MonthlyProgress
from renewal.reporting import selectors
from renewal.reporting.services import task_report_submit

pytestmark = pytest.mark.django_db
TODAY = dt.date(2026, 12, 3)


def test_without_data_the_page_opens_on_the_month_most_recently_due(people):
    assert selectors.default_month(TODAY) == dt.date(2026, 11, 1)
    assert selectors.default_month(TODAY, of="tasks") == dt.date(2026, 11, 1)


def test_with_data_it_opens_on_the_last_month_with_data_but_never_a_month_not_yet_due(people, client):
    p = people["NH"]
    for month in (dt.date(2024, 8, 1), dt.date(2024, 9, 1)):
        MonthlyProgress.objects.create(project=p, month=month, investment=Decimal(1))
    assert selectors.default_month(TODAY) == dt.date(2024, 9, 1)
    # a month not yet due (December 2026, filed early) does not count
    MonthlyProgress.objects.create(project=p, month=dt.date(2026, 12, 1), investment=Decimal(1))
    assert selectors.default_month(TODAY) == dt.date(2024, 9, 1)
    MonthlyProgress.objects.create(project=p, month=dt.date(2026, 11, 1), investment=Decimal(1))
    assert selectors.default_month(TODAY) == dt.date(2026, 11, 1)
    assert selectors.default_month(dt.date(2024, 10, 20)) == dt.date(2024, 9, 1)


def test_the_task_pages_follow_the_task_reports(people, client):
    task_report_submit(
        user=people["unit"],
        clause="P13",
        unit="tax",
        month=dt.date(2024, 6, 1),
        status="按计划推进",
        text="落实加速折旧",
    )
    assert selectors.default_month(TODAY, of="tasks") == dt.date(2024, 6, 1)
    client.force_login(people["city_admin"])
    page = client.get("/reporting/tasks/").content.decode()
    assert "2024-06" in page and "2026-11" not in page
