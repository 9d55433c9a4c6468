"""Monthly reporting: the plan's deadline, the 督办 list of late and missing reports per area, the
city's confirmation of an area's month (the approval ladder's last step, test_approval.py), and
correction of a confirmed month only by a city administrator with a reason."""

import datetime as dt
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse

from renewal.accounts.scope import scope_for
from renewal.lib.errors import Invalid, Refused
from renewal.registry.models import MonthlyProgress, Project
from renewal.reporting import selectors
from renewal.reporting.services import month_approve, month_confirm, month_unapprove, progress_report
from tests.factories import enterprise, project

pytestmark = pytest.mark.django_db
SH = ZoneInfo("Asia/Shanghai")
AUG = dt.date(2024, 8, 1)


def test_the_deadline_is_the_plans_day_of_the_next_month(loaded_plan):
    # jiaxing-2024.yaml: reporting.progress_due_day 5, task_due_day 10
    assert selectors.progress_deadline(AUG) == dt.datetime(2024, 9, 5, 23, 59, 59, tzinfo=SH)
    assert selectors.task_deadline(dt.date(2024, 12, 1)) == dt.datetime(2025, 1, 10, 23, 59, 59, tzinfo=SH)


def reported(p, at: dt.datetime):
    row = MonthlyProgress.objects.create(project=p, month=AUG, investment=Decimal(1))
    MonthlyProgress.objects.filter(pk=row.pk).update(created_at=at)


@pytest.fixture
def august(people):
    """南湖: NH-1 on time, NH-2 late, NH-3 missing, NH-4 a draft (not due); 海宁: HN-1 missing."""
    nanhu = people["NH"].enterprise
    for code in ("NH-2", "NH-3"):
        project(code, nanhu)
    project("NH-4", nanhu, status="草稿")
    reported(people["NH"], dt.datetime(2024, 9, 3, 10, tzinfo=SH))
    reported(Project.objects.get(code="NH-2"), dt.datetime(2024, 9, 8, 10, tzinfo=SH))
    return people


def test_the_overdue_list_counts_on_time_late_and_missing_reports_per_area(august):
    data = selectors.overdue_list(scope=scope_for(august["city_admin"]), month=AUG)
    by_area = {a.code: a for a in data["areas"]}
    nanhu, haining = by_area["330402"], by_area["330481"]
    assert (nanhu.expected, nanhu.on_time, nanhu.late, nanhu.missing) == (3, 1, 1, 1)
    assert [p.code for p in nanhu.missing_projects] == ["NH-3"]
    assert [p.code for p, _ in nanhu.late_projects] == ["NH-2"]
    assert (haining.expected, haining.missing) == (1, 1)
    assert data["totals"] == {"expected": 4, "on_time": 1, "late": 1, "missing": 2}


def test_before_the_deadline_nothing_is_missing_yet(august):
    before = dt.datetime(2024, 9, 4, tzinfo=SH)
    data = selectors.overdue_list(scope=scope_for(august["city_admin"]), month=AUG, now=before)
    assert data["totals"]["missing"] == 0 and not data["past_deadline"]


def test_an_operator_sees_only_its_own_area_in_the_overdue_list(august, client):
    data = selectors.overdue_list(scope=scope_for(august["op_nanhu"]), month=AUG)
    assert [a.code for a in data["areas"]] == ["330402"]
    client.force_login(august["op_nanhu"])
    page = client.get(reverse("reporting:overdue") + "?month=2024-08").content.decode()
    assert "NH-3" in page and "HN-1" not in page
    assert "次月5日内报送" in page and "progress_due_day" not in page  # the rule, not its setting


def test_the_city_confirms_a_month_and_then_only_a_city_admin_corrects_it_with_a_reason(august):
    op, admin, reviewer = august["op_nanhu"], august["city_admin"], august["city_reviewer"]
    with pytest.raises(Refused):
        month_confirm(user=op, area="330402", month=AUG)
    month_approve(user=op, area="330402", month=AUG)
    month_confirm(user=reviewer, area="330402", month=AUG)
    nh = august["NH"]
    row = MonthlyProgress.objects.get(project=nh, month=AUG)
    with pytest.raises(Refused) as refused:
        progress_report(user=op, project=nh, month=AUG, data={"investment": 5}, version=row.version)
    assert refused.value.message == "2024年08月 已由市里确认锁定，只有市级管理员可以更正"
    with pytest.raises(Invalid) as invalid:
        progress_report(user=admin, project=nh, month=AUG, data={"investment": 5}, version=row.version)
    assert invalid.value.errors == {"reason": "更正理由：2024年08月 已锁定，更正须填写理由"}
    fixed = progress_report(
        user=admin, project=nh, month=AUG, data={"investment": 5}, version=row.version, reason="企业补报发票"
    )
    assert fixed.investment == 5
    last = fixed.history.first()
    assert (last.history_user, last.history_change_reason) == (admin, "更正已锁定月份：企业补报发票")


def test_only_a_city_admin_undoes_a_confirmation_and_must_say_why(august):
    month_approve(user=august["op_nanhu"], area="330402", month=AUG)
    month_confirm(user=august["city_admin"], area="330402", month=AUG)
    with pytest.raises(Refused):
        month_unapprove(user=august["city_reviewer"], area="330402", month=AUG, reason="重新核对")
    with pytest.raises(Invalid):
        month_unapprove(user=august["city_admin"], area="330402", month=AUG, reason="")
    month_unapprove(user=august["city_admin"], area="330402", month=AUG, reason="重新核对")
    assert selectors.approval_state("330402", AUG) == "区县已审核"


def test_the_overdue_page_links_to_the_approval_page_of_its_month(august, client):
    client.force_login(august["city_admin"])
    page = client.get(reverse("reporting:overdue") + "?month=2024-08").content.decode()
    assert "审核确认 2024-08" in page and "确认并锁定" not in page
    month_approve(user=august["op_nanhu"], area="330402", month=AUG)
    page = client.get(reverse("reporting:overdue") + "?month=2024-08").content.decode()
    assert "区县已审核 1 个区域" in page


def test_a_bad_month_on_the_page_is_a_chinese_message(august, client):
    client.force_login(august["city_admin"])
    page = client.get(reverse("reporting:overdue") + "?month=2024-13").content.decode()
    assert "月份应为 YYYY-MM，实为 &#x27;2024-13&#x27;" in page


def test_progress_typed_in_wan_yuan_on_the_page_is_stored_in_yuan(august, client):
    client.force_login(august["op_nanhu"])
    url = reverse("reporting:progress_report", args=["NH-3"])
    response = client.post(url, {"month": "2024-08", "investment": "12.5", "robots": "2"})
    assert response.status_code == 302
    row = MonthlyProgress.objects.get(project__code="NH-3", month=AUG)
    assert (row.investment, row.robots) == (Decimal("125000.00"), 2)
    bad = client.post(url, {"month": "2024-08", "investment": "十二"})
    assert bad.status_code == 422 and "完成投资(万元)：应为数字（万元）" in bad.content.decode()


def test_an_enterprise_of_another_area_is_not_in_the_list(people):
    other = enterprise("91330481MA2C00002P", "330481", name="海宁另一家")
    project("HN-9", other)
    data = selectors.overdue_list(scope=scope_for(people["op_nanhu"]), month=AUG)
    assert all(p.code != "HN-9" for a in data["areas"] for p in a.missing_projects)
