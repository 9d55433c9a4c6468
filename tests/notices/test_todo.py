"""The header's 待办 counts (issue 17): returns to fix, approvals waiting, reports due — a few
COUNT queries — and the seam other modules add their own counts through; the inbox page."""

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse

from renewal.notices import todo
from renewal.notices.models import Kind, Notice
from renewal.notices.services import notice_send
from renewal.registry.models import MonthlyProgress
from renewal.reporting.services import task_report_submit
from tests.factories import project

pytestmark = pytest.mark.django_db


@pytest.fixture
def waiting(people, monkeypatch):
    """Today 2024-09-03 (August due). 南湖: NH-1 在建 reported August, NH-2 在建 not, NH-R 退回,
    NH-S 已申报 (waits for the 南湖 operator's review). 海宁: HN-1 在建 not reported."""
    monkeypatch.setattr(todo, "today", lambda: dt.date(2024, 9, 3))
    ent = people["NH"].enterprise
    project("NH-2", ent)
    project("NH-R", ent, status="退回")
    project("NH-S", ent, status="已申报")
    MonthlyProgress.objects.create(project=people["NH"], month=dt.date(2024, 8, 1), investment=Decimal(1))
    return people


def counts(user):
    return [(i.label, i.count, i.url) for i in todo.items(user)]


def test_an_enterprise_sees_its_return_and_its_report_due(waiting):
    assert counts(waiting["enterprise"]) == [
        ("退回待修改", 1, "/declaration/"),
        ("2024年08月进度待报", 1, "/declaration/"),  # NH-2 (NH-1 reported)
    ]


def test_an_area_operator_sees_its_areas_returns_approvals_and_reports_due(waiting):
    assert counts(waiting["op_nanhu"]) == [
        ("退回待修改", 1, "/registry/projects/?status=退回"),
        ("待审核申报", 1, "/declaration/inbox/"),
        ("2024年08月进度待报", 1, "/reporting/overdue/?month=2024-08"),
        ("待审核月份", 1, "/reporting/approval/"),  # August holds NH-1's report, not yet approved
    ]
    assert counts(waiting["op_haining"]) == [("2024年08月进度待报", 1, "/reporting/overdue/?month=2024-08")]


def test_a_unit_reporter_sees_its_task_reports_due_until_made(waiting):
    assert counts(waiting["unit"]) == [("2024年08月任务进展待报", 1, "/reporting/tasks/?month=2024-08")]
    task_report_submit(
        user=waiting["unit"],
        clause="P13",
        unit="tax",
        month=dt.date(2024, 8, 1),
        status="按计划推进",
        text="x",
    )
    assert counts(waiting["unit"]) == []


def test_the_viewer_and_an_outsider_have_nothing_to_do(waiting):
    assert counts(waiting["viewer"]) == [] and counts(waiting["outsider"]) == []


def test_the_counts_cost_a_few_queries(waiting, django_assert_max_num_queries):
    user = waiting["op_nanhu"]
    with django_assert_max_num_queries(6):  # the profile, then a COUNT or two per provider
        todo.items(user)


def test_another_module_registers_its_own_count(waiting, monkeypatch):
    monkeypatch.setattr(todo, "PROVIDERS", list(todo.PROVIDERS))
    todo.register(lambda user: [("待确认月份", 2, "/reporting/approvals/")])
    assert counts(waiting["viewer"]) == [("待确认月份", 2, "/reporting/approvals/")]


def test_the_header_shows_the_todo_badge_and_unread_notices(waiting, client):
    notice_send(user=waiting["op_nanhu"], kind=Kind.OTHER, key="k", title="测试消息")
    client.force_login(waiting["op_nanhu"])
    text = client.get(reverse("reporting:overdue"), {"month": "2024-08"}).content.decode()
    assert '<a href="/notices/" class="todo"' in text
    assert '待办 <b class="count">4</b> <span class="unread">消息 1</span></a>' in text


def test_the_inbox_lists_the_callers_notices_and_marks_them_read(waiting, client):
    mine = notice_send(
        user=waiting["enterprise"], kind=Kind.OTHER, key="a", title="请报送八月进度", link="/declaration/"
    )
    other = notice_send(user=waiting["op_nanhu"], kind=Kind.OTHER, key="a", title="南湖区的消息")
    assert notice_send(user=waiting["enterprise"], kind=Kind.OTHER, key="a", title="再来一次") is None
    client.force_login(waiting["enterprise"])
    text = client.get(reverse("notices:inbox")).content.decode()
    assert "请报送八月进度" in text and "南湖区的消息" not in text and "退回待修改" in text
    resp = client.post(reverse("notices:read", args=[mine.pk]), {"open": "1"})
    assert resp.status_code == 302 and resp["Location"] == "/declaration/"
    mine.refresh_from_db()
    assert mine.read_at is not None
    # another user's notice is not found, and stays unread
    assert client.post(reverse("notices:read", args=[other.pk])).status_code == 404
    other.refresh_from_db()
    assert other.read_at is None


def test_read_all_marks_only_the_callers_notices(waiting, client):
    for k in "abc":
        notice_send(user=waiting["enterprise"], kind=Kind.OTHER, key=k, title=k)
    notice_send(user=waiting["op_nanhu"], kind=Kind.OTHER, key="a", title="x")
    client.force_login(waiting["enterprise"])
    client.post(reverse("notices:read_all"))
    assert Notice.objects.filter(read_at__isnull=True).count() == 1
    assert client.get(reverse("notices:inbox")).status_code == 200


def test_the_inbox_asks_to_sign_in(client, db):
    assert client.get(reverse("notices:inbox")).status_code == 302


def test_the_city_sees_the_months_approved_by_an_area_waiting_for_its_confirmation(waiting):
    from renewal.reporting.services import month_approve

    assert counts(waiting["city_reviewer"]) == []
    month_approve(user=waiting["op_nanhu"], area="330402", month=dt.date(2024, 8, 1))
    assert counts(waiting["city_reviewer"]) == [("待确认月份", 1, "/reporting/approval/")]
    assert ("待确认月份", 1, "/reporting/approval/") not in counts(waiting["op_nanhu"])


def test_an_area_operators_months_to_approve_leave_when_approved_and_come_back_when_returned(waiting):
    from renewal.reporting.services import month_approve, month_return

    month = dt.date(2024, 8, 1)
    assert ("待审核月份", 1, "/reporting/approval/") in counts(waiting["op_nanhu"])
    assert not [c for c in counts(waiting["op_haining"]) if c[0] == "待审核月份"]  # 海宁 holds no report
    month_approve(user=waiting["op_nanhu"], area="330402", month=month)
    assert not [c for c in counts(waiting["op_nanhu"]) if c[0] == "待审核月份"]
    month_return(user=waiting["city_reviewer"], area="330402", month=month, reason="机器人数量待核实")
    assert ("待审核月份", 1, "/reporting/approval/") in counts(waiting["op_nanhu"])
