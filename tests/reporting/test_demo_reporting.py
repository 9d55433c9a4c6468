"""The demo's reporting behaviour: report times around the deadline (some late), some reports of
the last month missing, and months walked up the approval ladder — so the pages show something."""

import datetime as dt
from collections import Counter
from io import StringIO

import pytest
from django.core.management import call_command
from django.db.models import Max

from renewal.accounts.scope import scope_for
from renewal.planning.models import Area
from renewal.registry.models import MonthlyProgress
from renewal.reporting import approval, selectors
from renewal.reporting.models import MonthApproval, MonthApprovalStep

SMALL = ["--enterprises", "120", "--projects", "90"]


@pytest.mark.django_db
def test_the_demo_reports_mostly_on_time_some_late_some_missing_and_walks_the_ladder(django_user_model):
    out = StringIO()
    call_command("demo", *SMALL, stdout=out)
    assert "已生成月度审核演示数据" in out.getvalue()
    rows = list(MonthlyProgress.objects.values_list("month", "created_at"))
    late = sum(at > selectors.progress_deadline(m) for m, at in rows)
    assert 0.05 < late / len(rows) < 0.2  # about one in eight
    # on-time reports came in within the five days before the deadline
    early = [selectors.progress_deadline(m) - at for m, at in rows if at <= selectors.progress_deadline(m)]
    assert max(early) < dt.timedelta(days=6)

    last = MonthlyProgress.objects.aggregate(m=Max("month"))["m"]
    city = scope_for(django_user_model.objects.get(username="city-admin"))
    board = selectors.overdue_list(
        scope=city, month=last, now=selectors.progress_deadline(last) + dt.timedelta(days=30)
    )
    assert board["totals"]["missing"] > 0 and board["totals"]["on_time"] > board["totals"]["missing"]

    areas = Area.objects.filter(is_active=True).count()
    states = Counter(MonthApproval.objects.filter(month=last).values_list("state", flat=True))
    assert not states  # the last month is still open everywhere
    months = selectors.months_between(MonthlyProgress.objects.order_by("month").first().month, last)
    before_last = Counter(MonthApproval.objects.filter(month=months[-2]).values_list("state", flat=True))
    assert 0 < sum(before_last.values()) <= areas
    # every earlier month confirmed by the city in every area
    earlier = MonthApproval.objects.filter(month__lt=months[-2])
    assert earlier.count() == areas * (len(months) - 2)
    assert set(earlier.values_list("state", flat=True)) == {approval.CONFIRMED}
    steps = MonthApprovalStep.objects.filter(approval__month__lt=months[-2])
    assert steps.filter(action=approval.APPROVE).count() == steps.filter(action=approval.CONFIRM).count()
