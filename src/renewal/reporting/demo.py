"""The demo's reporting behaviour (issue 17): when each monthly report came in, and how far each
area's months went up the approval ladder — so that the 督办, completeness and approval pages
show something meaningful at the demo's last month.

* Report times: the demo's progress rows are written at load time; here each gets the time it was
  "first reported" (``created_at``), around its deadline (the plan file's ``progress_due_day`` of
  the next month): most in the five days before it, about one in eight up to ten days late. The
  choice is a hash of the project code and the month, so the same seed gives the same times.
* Approvals, through the ladder's services as the demo's users: every month but the last two
  confirmed by the city in every area; the month before the last approved by most areas and
  confirmed for some, one of them returned by the city with a reason; the last month still open
  (its reports are still coming in).
"""

from __future__ import annotations

import datetime as dt
import hashlib

from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import Max, Min

from renewal.lib.errors import Invalid
from renewal.planning.models import Area
from renewal.registry.models import MonthlyProgress

from . import approval, selectors, services
from .models import MonthApproval

RETURN_REASON = "演示：本月机器人到位数与设备清单不一致，请核实后重新审核"


def _fraction(*parts) -> float:
    digest = hashlib.sha256("|".join(str(p) for p in parts).encode()).digest()
    return int.from_bytes(digest[:4], "big") / 2**32


@transaction.atomic
def report_times_set() -> int:
    """Give each demo progress row a first-report time around its deadline; the count changed."""
    rows = list(MonthlyProgress.all_objects.select_related("project").only("id", "month", "project__code"))
    for row in rows:
        due = selectors.progress_deadline(row.month)
        x = _fraction(row.project.code, row.month)
        if x < 0.125:  # late: 1 to 10 days after the deadline
            row.created_at = due + dt.timedelta(days=1 + int(x / 0.125 * 10), hours=2)
        else:  # on time: within the five days before it
            row.created_at = due - dt.timedelta(days=int((x - 0.125) / 0.875 * 5), hours=6)
    MonthlyProgress.all_objects.bulk_update(rows, ["created_at"], batch_size=1000)
    return len(rows)


def approvals_load() -> dict[str, int]:
    """Walk the demo's months up the ladder (nothing when some month was already approved)."""
    if MonthApproval.objects.exists():
        return {}
    span = MonthlyProgress.objects.aggregate(first=Min("month"), last=Max("month"))
    if span["last"] is None:
        return {}
    User = get_user_model()
    reviewer = User.objects.get(username="city-reviewer")
    months = selectors.months_between(span["first"], span["last"])
    areas = list(Area.objects.filter(is_active=True).order_by("order", "code"))
    counts = {approval.APPROVED: 0, approval.CONFIRMED: 0, "退回": 0, "未通过数据核查": 0}
    for area in areas:
        operator = User.objects.filter(username=f"op-{area.code}").first()
        if operator is None:
            continue
        for k, month in enumerate(months):
            left = len(months) - 1 - k  # 0: the last month, still open
            if left == 0:
                continue
            if left == 1 and _fraction(area.code, month, "approve") < 0.25:
                continue  # a quarter of the areas have not yet approved the month before the last
            try:
                services.month_approve(user=operator, area=area, month=month)
            except Invalid:  # open data-check errors (approval.BLOCKERS): the month stays open
                counts["未通过数据核查"] += 1
                continue
            counts[approval.APPROVED] += 1
            if left == 1:
                x = _fraction(area.code, month, "confirm")
                if x < 0.2:
                    services.month_return(user=reviewer, area=area, month=month, reason=RETURN_REASON)
                    counts["退回"] += 1
                elif x < 0.6:
                    services.month_confirm(user=reviewer, area=area, month=month)
                    counts[approval.CONFIRMED] += 1
                continue
            services.month_confirm(user=reviewer, area=area, month=month)
            counts[approval.CONFIRMED] += 1
    return {
        "区县审核": counts[approval.APPROVED],
        "市级确认": counts[approval.CONFIRMED],
        "退回": counts["退回"],
        "未通过数据核查": counts["未通过数据核查"],
    }
