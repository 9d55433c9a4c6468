"""The approval ladder of an area's month (reporting/approval.py): 填报中 → 区县已审核 (the area
operator) → 市级已确认 (the city), 退回 and 撤销 with a reason, each step a step-log row and a history
row; an approved month is locked for the area (service, import), a confirmed one corrected only by a
city administrator with a reason; blockers keep an area from approving; the city accepts or
returns a unit's task report."""

import datetime as dt

import pytest
from django.urls import reverse

from renewal.accounts.scope import scope_for
from renewal.exchange import services as exchange
from renewal.lib.errors import Conflict, Invalid, Refused
from renewal.registry.models import MonthlyProgress
from renewal.reporting import approval, selectors
from renewal.reporting.models import MonthApproval, MonthApprovalStep, TaskReport
from renewal.reporting.services import (
    month_approve,
    month_confirm,
    month_return,
    month_step,
    month_unapprove,
    progress_report,
    task_report_accept,
    task_report_return,
    task_report_submit,
)
from tests.exchange import files as F

pytestmark = pytest.mark.django_db
AUG = dt.date(2024, 8, 1)
NANHU, HAINING = "330402", "330481"


def steps(area=NANHU, month=AUG) -> list[tuple]:
    return list(
        MonthApprovalStep.objects.filter(approval__area_id=area, approval__month=month)
        .order_by("id")
        .values_list("action", "from_state", "to_state", "user__username", "reason")
    )


def history(area=NANHU, month=AUG) -> list[tuple]:
    row = MonthApproval.objects.get(area_id=area, month=month)
    return [
        (h.state, h.history_user.username, h.history_change_reason)
        for h in row.history.order_by("history_id")
    ]


# -- each step -------------------------------------------------------------------------------


def test_the_area_operator_approves_its_month(people):
    assert selectors.approval_state(NANHU, AUG) == "填报中"  # no row yet
    row = month_approve(user=people["op_nanhu"], area=NANHU, month=AUG, version=0)
    assert (row.state, row.version, row.updated_by) == ("区县已审核", 1, people["op_nanhu"])
    assert steps() == [("approve", "填报中", "区县已审核", "op-330402", "")]
    assert history() == [("区县已审核", "op-330402", "审核本月")]
    assert selectors.approval_state(HAINING, AUG) == "填报中"  # another area is not touched


def test_the_city_confirms_an_approved_month(people):
    month_approve(user=people["op_nanhu"], area=NANHU, month=AUG)
    row = month_confirm(user=people["city_reviewer"], area=NANHU, month=AUG, version=1)
    assert (row.state, row.version) == ("市级已确认", 2)
    assert steps()[-1] == ("confirm", "区县已审核", "市级已确认", "city-reviewer", "")
    assert history() == [
        ("区县已审核", "op-330402", "审核本月"),
        ("市级已确认", "city-reviewer", "确认"),
    ]


def test_the_city_returns_an_approved_month_to_the_area_with_a_reason(people):
    month_approve(user=people["op_nanhu"], area=NANHU, month=AUG)
    with pytest.raises(Invalid) as missing:
        month_return(user=people["city_reviewer"], area=NANHU, month=AUG, reason="  ")
    assert missing.value.errors == {"reason": "理由：退回须填写理由"}
    row = month_return(user=people["city_reviewer"], area=NANHU, month=AUG, reason="NH-3 未报送")
    assert row.state == "填报中"
    assert steps()[-1] == ("return", "区县已审核", "填报中", "city-reviewer", "NH-3 未报送")
    assert history()[-1] == ("填报中", "city-reviewer", "退回：NH-3 未报送")


def test_the_area_undoes_its_own_approval_with_a_reason_while_not_confirmed(people):
    op = people["op_nanhu"]
    month_approve(user=op, area=NANHU, month=AUG)
    with pytest.raises(Invalid) as missing:
        month_unapprove(user=op, area=NANHU, month=AUG, reason="")
    assert missing.value.errors == {"reason": "理由：撤销审核须填写理由"}
    row = month_unapprove(user=op, area=NANHU, month=AUG, reason="企业补报")
    assert row.state == "填报中"
    assert steps()[-1] == ("unapprove", "区县已审核", "填报中", "op-330402", "企业补报")
    # once the city confirmed, the area's undo is refused
    month_approve(user=op, area=NANHU, month=AUG)
    month_confirm(user=people["city_reviewer"], area=NANHU, month=AUG)
    with pytest.raises(Refused) as refused:
        month_unapprove(user=op, area=NANHU, month=AUG, reason="企业补报")
    assert refused.value.message == "只有市级管理员可以撤销已确认的月份"


def test_only_a_city_administrator_undoes_a_confirmation_with_a_reason(people):
    month_approve(user=people["op_nanhu"], area=NANHU, month=AUG)
    month_confirm(user=people["city_reviewer"], area=NANHU, month=AUG)
    with pytest.raises(Refused):
        month_unapprove(user=people["city_reviewer"], area=NANHU, month=AUG, reason="重新核对")
    with pytest.raises(Refused):
        month_return(user=people["city_reviewer"], area=NANHU, month=AUG, reason="重新核对")
    with pytest.raises(Invalid) as missing:
        month_unapprove(user=people["city_admin"], area=NANHU, month=AUG, reason="")
    assert missing.value.errors == {"reason": "理由：撤销确认须填写理由"}
    row = month_unapprove(user=people["city_admin"], area=NANHU, month=AUG, reason="统计局更正")
    assert row.state == "区县已审核"  # back to the area's approval, which the city may return
    month_confirm(user=people["city_admin"], area=NANHU, month=AUG)
    row = month_return(user=people["city_admin"], area=NANHU, month=AUG, reason="重新填报")
    assert row.state == "填报中"
    assert [s[:3] for s in steps()] == [
        ("approve", "填报中", "区县已审核"),
        ("confirm", "区县已审核", "市级已确认"),
        ("unapprove", "市级已确认", "区县已审核"),
        ("confirm", "区县已审核", "市级已确认"),
        ("return", "市级已确认", "填报中"),
    ]
    assert [h[2] for h in history()][2:] == ["撤销确认：统计局更正", "确认", "撤销确认并退回：重新填报"]


def test_a_city_administrator_may_take_the_areas_step(people):
    row = month_approve(user=people["city_admin"], area=HAINING, month=AUG)
    assert row.state == "区县已审核"


# -- refusals --------------------------------------------------------------------------------


def test_an_operator_cannot_approve_another_area(people):
    with pytest.raises(Refused) as refused:
        month_approve(user=people["op_haining"], area=NANHU, month=AUG)
    assert refused.value.message == "只能审核本区域的月度进度，不能操作南湖区 2024年08月"
    assert not MonthApproval.objects.exists()


@pytest.mark.parametrize(
    ("who", "message"),
    [
        ("city_reviewer", "只有区域操作员和市级管理员可以审核本区域的月度进度"),
        ("enterprise", "只有区域操作员和市级管理员可以审核本区域的月度进度"),
        ("viewer", "只有区域操作员和市级管理员可以审核本区域的月度进度"),
        ("unit", "只有区域操作员和市级管理员可以审核本区域的月度进度"),
    ],
)
def test_a_role_without_the_right_cannot_approve(people, who, message):
    with pytest.raises(Refused) as refused:
        month_approve(user=people[who], area=NANHU, month=AUG)
    assert refused.value.message == message


def test_an_area_operator_cannot_confirm_or_return_its_own_month(people):
    month_approve(user=people["op_nanhu"], area=NANHU, month=AUG)
    with pytest.raises(Refused) as refused:
        month_confirm(user=people["op_nanhu"], area=NANHU, month=AUG)
    assert refused.value.message == "只有市级审核员和市级管理员可以确认或退回区县已审核的月份"
    with pytest.raises(Refused):
        month_return(user=people["op_nanhu"], area=NANHU, month=AUG, reason="x")
    assert steps() == [("approve", "填报中", "区县已审核", "op-330402", "")]


def test_a_step_the_ladder_has_not_from_this_state_is_invalid(people):
    with pytest.raises(Invalid) as invalid:
        month_confirm(user=people["city_reviewer"], area=NANHU, month=AUG)
    assert invalid.value.errors == {"action": "南湖区 2024年08月 当前为“填报中”，不能确认"}
    month_approve(user=people["op_nanhu"], area=NANHU, month=AUG)
    with pytest.raises(Invalid):
        month_approve(user=people["op_nanhu"], area=NANHU, month=AUG)
    with pytest.raises(Invalid) as invalid:
        month_step(user=people["op_nanhu"], area=NANHU, month=AUG, action="lock")
    assert invalid.value.errors == {"action": "操作：应为 approve、confirm、return、unapprove 之一"}


def test_a_stale_version_is_a_conflict(people):
    month_approve(user=people["op_nanhu"], area=NANHU, month=AUG, version=0)
    with pytest.raises(Conflict) as conflict:
        month_confirm(user=people["city_reviewer"], area=NANHU, month=AUG, version=0)
    assert "当前版本 1，您编辑的是版本 0" in conflict.value.message
    assert selectors.approval_state(NANHU, AUG) == "区县已审核"


def test_a_day_other_than_the_first_is_invalid(people):
    with pytest.raises(Invalid) as invalid:
        month_approve(user=people["op_nanhu"], area=NANHU, month=dt.date(2024, 8, 5))
    assert invalid.value.errors == {"month": "月份：应为当月第一天（YYYY-MM）"}


# -- blockers --------------------------------------------------------------------------------


@pytest.fixture
def a_blocker():
    """A check that answers an error for 南湖's August only (the data checks register theirs)."""

    def check(area: str, month: dt.date) -> list[str]:
        if (area, month) == (NANHU, AUG):
            return ["项目 NH-1 累计完成投资超过总投资", "项目 NH-2 当月数值为上月的 12 倍"]
        return []

    approval.BLOCKERS.append(check)
    yield check
    approval.BLOCKERS.remove(check)


def test_an_area_cannot_approve_its_month_while_a_blocker_answers(people, a_blocker):
    with pytest.raises(Invalid) as invalid:
        month_approve(user=people["op_nanhu"], area=NANHU, month=AUG)
    assert invalid.value.message == (
        "南湖区 2024年08月 尚有数据错误，不能审核：项目 NH-1 累计完成投资超过总投资；项目 NH-2 当月数值为上月的 12 倍"
    )
    assert not MonthApproval.objects.exists() and not MonthApprovalStep.objects.exists()
    assert month_approve(user=people["op_haining"], area=HAINING, month=AUG).state == "区县已审核"
    assert month_approve(user=people["op_nanhu"], area=NANHU, month=dt.date(2024, 7, 1)).state == "区县已审核"


def test_without_blockers_the_list_is_empty(people):
    assert approval.blockers(NANHU, AUG) == []


# -- locking ---------------------------------------------------------------------------------


def test_an_approved_month_is_locked_for_the_area_until_the_approval_is_undone(people):
    op, nh = people["op_nanhu"], people["NH"]
    month_approve(user=op, area=NANHU, month=AUG)
    message = "2024年08月 本区域已审核（区县已审核），须先撤销审核或由市里退回，才能修改项目 NH-1 的进度"
    for who in ("op_nanhu", "enterprise", "city_admin"):
        with pytest.raises(Refused) as refused:
            progress_report(user=people[who], project=nh, month=AUG, data={"investment": 5}, reason="x")
        assert refused.value.message == message
    assert not MonthlyProgress.objects.filter(project=nh, month=AUG).exists()
    # 海宁's August and 南湖's September are open
    progress_report(user=people["op_haining"], project=people["HN"], month=AUG, data={"investment": 7})
    progress_report(user=op, project=nh, month=dt.date(2024, 9, 1), data={"investment": 3})
    month_unapprove(user=op, area=NANHU, month=AUG, reason="补报 NH-1")
    row = progress_report(user=op, project=nh, month=AUG, data={"investment": 5})
    assert row.investment == 5


def test_a_confirmed_month_is_corrected_only_by_a_city_administrator_with_a_reason(people):
    nh = people["NH"]
    first = progress_report(user=people["op_nanhu"], project=nh, month=AUG, data={"investment": 5})
    month_approve(user=people["op_nanhu"], area=NANHU, month=AUG)
    month_confirm(user=people["city_reviewer"], area=NANHU, month=AUG)
    with pytest.raises(Refused) as refused:
        progress_report(user=people["op_nanhu"], project=nh, month=AUG, data={"investment": 6}, version=1)
    assert refused.value.message == "2024年08月 已由市里确认锁定，只有市级管理员可以更正"
    with pytest.raises(Invalid) as invalid:
        progress_report(user=people["city_admin"], project=nh, month=AUG, data={"investment": 6}, version=1)
    assert invalid.value.errors == {"reason": "更正理由：2024年08月 已锁定，更正须填写理由"}
    fixed = progress_report(
        user=people["city_admin"], project=nh, month=AUG, data={"investment": 6}, version=1, reason="发票更正"
    )
    assert (fixed.pk, fixed.investment, fixed.version) == (first.pk, 6, 2)
    last = fixed.history.first()
    assert (last.history_user, last.history_change_reason) == (
        people["city_admin"],
        "更正已锁定月份：发票更正",
    )


def _progress_file(tmp_path, code="NH-1", month="2024-08"):
    return F.xlsx(tmp_path / "p.xlsx", {"月度进度": [[code, month, 10, 5, 0, 0]]})


def _import(path, user, reason=""):
    return exchange.workbook_import(
        path=path, filename=path.name, user=user, scope=scope_for(user), dry_run=False, reason=reason
    )


def test_an_import_into_an_approved_month_is_refused_for_every_row_of_that_area(people, tmp_path):
    month_approve(user=people["op_nanhu"], area=NANHU, month=AUG)
    report = _import(_progress_file(tmp_path), people["op_nanhu"])
    assert [i.line() for i in report.errors] == [
        "月度进度, 第2行, 月份(YYYY-MM): 2024年08月 本区域已审核（区县已审核），须先撤销审核或由市里退回，"
        "才能修改项目 NH-1 的进度"
    ]
    assert not report.committed and not MonthlyProgress.objects.exists()
    # 海宁's August is open: the same import of HN-1 by the city goes through
    assert _import(_progress_file(tmp_path, "HN-1"), people["city_admin"]).committed
    assert list(MonthlyProgress.objects.values_list("project__code", "investment")) == [("HN-1", 100_000)]


def test_an_import_into_a_confirmed_month_needs_a_city_administrator_and_a_reason(people, tmp_path):
    month_approve(user=people["op_nanhu"], area=NANHU, month=AUG)
    month_confirm(user=people["city_reviewer"], area=NANHU, month=AUG)
    path = _progress_file(tmp_path)
    assert [i.line() for i in _import(path, people["op_nanhu"]).errors] == [
        "月度进度, 第2行, 月份(YYYY-MM): 2024年08月 已由市里确认锁定，只有市级管理员可以更正"
    ]
    report = _import(path, people["city_admin"], reason="统计局核定数")
    assert report.committed, [i.line() for i in report.errors]
    (h,) = MonthlyProgress.objects.get().history.all()
    assert h.history_change_reason == "Excel 导入：p.xlsx；更正理由：统计局核定数"


# -- the pages -------------------------------------------------------------------------------


def test_the_operator_approves_its_month_on_the_approval_page(people, client):
    client.force_login(people["op_nanhu"])
    url = reverse("reporting:approval") + "?month=2024-08"
    page = client.get(url).content.decode()
    assert "南湖区" in page and "海宁市" not in page and "审核本月" in page
    r = client.post(
        reverse("reporting:approval_step"),
        {"month": "2024-08", "area": NANHU, "action": "approve", "version": "0"},
    )
    assert r.status_code == 302
    assert selectors.approval_state(NANHU, AUG) == "区县已审核"
    page = client.get(url).content.decode()
    assert "撤销审核" in page and "审核本月</button>" not in page and "op-330402" in page
    # a missing reason comes back as a message on the page, nothing changes
    r = client.post(
        reverse("reporting:approval_step"),
        {"month": "2024-08", "area": NANHU, "action": "unapprove", "version": "1"},
        follow=True,
    )
    assert "理由：撤销审核须填写理由" in r.content.decode()
    assert selectors.approval_state(NANHU, AUG) == "区县已审核"


def test_an_operator_posting_for_another_area_is_refused(people, client):
    client.force_login(people["op_haining"])
    r = client.post(
        reverse("reporting:approval_step"), {"month": "2024-08", "area": NANHU, "action": "approve"}
    )
    assert r.status_code == 403 and "只能审核本区域的月度进度" in r.content.decode()
    assert not MonthApproval.objects.exists()


def test_the_city_sees_every_area_and_confirms_on_the_page(people, client):
    month_approve(user=people["op_nanhu"], area=NANHU, month=AUG)
    client.force_login(people["city_reviewer"])
    page = client.get(reverse("reporting:approval") + "?month=2024-08").content.decode()
    assert "南湖区" in page and "海宁市" in page and ">确认</button>" in page and "退回理由" in page
    assert "审核本月</button>" not in page  # the reviewer does not take the area's step
    client.post(
        reverse("reporting:approval_step"),
        {"month": "2024-08", "area": NANHU, "action": "confirm", "version": "1"},
    )
    assert selectors.approval_state(NANHU, AUG) == "市级已确认"
    board = selectors.approval_board(scope=scope_for(people["city_reviewer"]), month=AUG)
    assert dict(board["counts"])["市级已确认"] == 1
    nanhu = next(r for r in board["rows"] if r["area"].code == NANHU)
    assert (nanhu["area"].expected, nanhu["state"], nanhu["steps"]) == (1, "市级已确认", [])


def test_the_approval_page_is_refused_to_the_viewer_and_linked_from_the_overdue_page(people, client):
    client.force_login(people["viewer"])
    assert client.get(reverse("reporting:approval")).status_code == 403
    client.force_login(people["op_nanhu"])
    page = client.get(reverse("reporting:overdue") + "?month=2024-08").content.decode()
    assert "审核确认：填报中 1 个区域" in page and reverse("reporting:approval") + "?month=2024-08" in page


# -- task reports ----------------------------------------------------------------------------


def _task(people):
    return task_report_submit(
        user=people["unit"], clause="P13", unit="tax", month=AUG, status="按计划推进", text="落实加速折旧"
    )


def test_the_city_accepts_a_task_report_and_it_is_locked_for_the_unit(people):
    report = _task(people)
    with pytest.raises(Refused):
        task_report_accept(user=people["unit"], report=report, version=1)
    accepted = task_report_accept(user=people["city_reviewer"], report=report, version=1)
    assert (accepted.state, accepted.version, accepted.reviewed_by) == ("已确认", 2, people["city_reviewer"])
    with pytest.raises(Refused) as refused:
        task_report_submit(
            user=people["unit"], clause="P13", unit="tax", month=AUG, status="已完成", text="x", version=2
        )
    assert refused.value.message == "P13 2024-08 的报送已由市里确认，不能再修改"
    h = accepted.history.first()
    assert (h.state, h.history_user, h.history_change_reason) == ("已确认", people["city_reviewer"], "确认")


def test_the_city_returns_a_task_report_with_a_reason_and_the_unit_submits_again(people):
    report = _task(people)
    with pytest.raises(Invalid) as missing:
        task_report_return(user=people["city_reviewer"], report=report, reason="", version=1)
    assert missing.value.errors == {"reason": "理由：退回须填写理由"}
    with pytest.raises(Conflict):
        task_report_return(user=people["city_reviewer"], report=report, reason="请附文件", version=7)
    returned = task_report_return(user=people["city_reviewer"], report=report, reason="请附文件", version=1)
    assert (returned.state, returned.review_reason) == ("已退回", "请附文件")
    again = task_report_submit(
        user=people["unit"], clause="P13", unit="tax", month=AUG, status="已完成", text="补充", version=2
    )
    assert (again.state, again.status, again.version) == ("已报送", "已完成", 3)
    assert [h.state for h in TaskReport.objects.get().history.order_by("history_id")] == [
        "已报送",
        "已退回",
        "已报送",
    ]


def test_the_city_accepts_and_returns_on_the_task_report_page(people, client):
    report = _task(people)
    url = reverse("reporting:task_report", args=["P13", "tax", "2024-08"])
    client.force_login(people["unit"])
    assert "退回理由" not in client.get(url).content.decode()
    assert client.post(url, {"review": "accept", "version": "1"}).status_code == 403
    client.force_login(people["city_reviewer"])
    page = client.get(url).content.decode()
    assert ">确认</button>" in page and "退回理由" in page
    client.post(url, {"review": "return", "version": "1", "reason": "请附文件"})
    report.refresh_from_db()
    assert (report.state, report.review_reason) == ("已退回", "请附文件")
    client.force_login(people["unit"])
    assert "退回理由：请附文件" in client.get(url).content.decode()


# -- the API ---------------------------------------------------------------------------------


def _api(client, people, who):
    from renewal.accounts.tokens import token_create

    _, secret = token_create(user=people[who], name="test")
    return {"HTTP_AUTHORIZATION": f"Bearer {secret}"}


def test_the_api_lists_the_areas_states_and_takes_a_step(people, client):
    op = _api(client, people, "op_nanhu")
    listed = client.get("/api/v1/reporting/approvals?month=2024-08", **op).json()
    assert listed["month"] == "2024-08" and listed["count"] == 1
    (item,) = listed["items"]
    assert (item["area"], item["state"], item["version"], item["expected"]) == (NANHU, "填报中", 0, 1)
    assert [a["action"] for a in item["actions"]] == ["approve"]
    url = f"/api/v1/reporting/approvals/{NANHU}/2024-08/steps"
    r = client.post(url, {"action": "approve", "version": 0}, content_type="application/json", **op)
    assert r.status_code == 201, r.content
    assert (r.json()["state"], r.json()["version"]) == ("区县已审核", 1)
    assert steps() == [("approve", "填报中", "区县已审核", "op-330402", "")]
    # the other area 403, a stale version 409, a missing reason 422 naming 理由
    other = client.post(
        f"/api/v1/reporting/approvals/{HAINING}/2024-08/steps",
        {"action": "approve"},
        content_type="application/json",
        **op,
    )
    assert other.status_code == 403
    stale = client.post(
        url, {"action": "unapprove", "reason": "x", "version": 0}, content_type="application/json", **op
    )
    assert stale.status_code == 409
    missing = client.post(url, {"action": "unapprove", "version": 1}, content_type="application/json", **op)
    assert missing.status_code == 422 and "理由" in missing.content.decode()
    bad = client.post(url, {"action": "lock"}, content_type="application/json", **op)
    assert bad.status_code == 422
    viewer = _api(client, people, "viewer")
    assert client.get("/api/v1/reporting/approvals", **viewer).status_code == 403


# -- the migration of the city's month locks ---------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_each_month_lock_becomes_a_confirmation_of_every_active_area():
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor

    executor = MigrationExecutor(connection)
    executor.migrate([("reporting", "0001_reporting")])
    old = executor.loader.project_state([("reporting", "0001_reporting")]).apps
    Area = old.get_model("planning", "Area")
    User = old.get_model("auth", "User")
    for code, name, active in [
        ("330402", "南湖区", True),
        ("330481", "海宁市", True),
        ("330499", "旧区", False),
    ]:
        Area.objects.get_or_create(
            code=code, defaults={"name": name, "short_name": name, "kind": "区", "is_active": active}
        )
    boss = User.objects.create(username="lock-admin")
    old.get_model("reporting", "MonthLock").objects.create(month=AUG, locked_by=boss, note="8月已核")
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())
    rows = MonthApproval.objects.filter(month=AUG).order_by("area_id")
    assert [(r.area_id, r.state, r.updated_by.username) for r in rows] == [
        ("330402", "市级已确认", "lock-admin"),
        ("330481", "市级已确认", "lock-admin"),
    ]
    step = MonthApprovalStep.objects.get(approval__area_id="330402")
    assert (step.action, step.from_state, step.to_state, step.user.username) == (
        "confirm",
        "填报中",
        "市级已确认",
        "lock-admin",
    )
    assert step.reason.startswith("由月度锁定转换（") and step.reason.endswith("锁定：8月已核）")
