"""An import is no second write path: a 状态 cell goes through the workflow table like a page, a
confirmed month holds for imports as for the progress form, and every change of state is recorded."""

import datetime as dt

from renewal.accounts.models import Role
from renewal.accounts.scope import Scope
from renewal.registry.models import Enterprise, MonthlyProgress, Project, ProjectTransition
from renewal.reporting.models import MonthApproval
from tests.factories import named_users

from . import files as F

NANHU = Scope(role=Role.AREA_OPERATOR, area="330402")
ADMIN = Scope(role=Role.CITY_ADMIN)


def lines(report) -> list[str]:
    return [i.line() for i in report.errors]


def project_row(status: str | None, status_date=None, code: str = "T-001") -> list:
    return [code, *F.PROJECT_A[1:15], status, status_date]


def test_an_area_operator_cannot_import_a_project_straight_into_a_settled_state(run_import, tmp_path):
    users = named_users()
    path = F.xlsx(tmp_path / "a.xlsx", {"企业": [F.ENTERPRISE_A], "项目": [project_row("已兑现")]})
    report = run_import(path, user=users["op_nanhu"], scope=NANHU)
    assert lines(report) == ["项目, 第2行, 状态: 区域操作员不能把项目直接设为“已兑现”（可设：草稿、已申报）"]
    assert not report.committed
    assert (Enterprise.objects.count(), Project.objects.count(), ProjectTransition.objects.count()) == (
        0,
        0,
        0,
    )


def test_an_area_operator_may_create_a_draft_or_declare_it_with_its_申报_step(run_import, tmp_path):
    users = named_users()
    path = F.xlsx(
        tmp_path / "a.xlsx",
        {"企业": [F.ENTERPRISE_A], "项目": [project_row(None), project_row("已申报", code="T-009")]},
    )
    report = run_import(path, user=users["op_nanhu"], scope=NANHU)
    assert report.committed, lines(report)
    assert dict(Project.objects.values_list("code", "status")) == {"T-001": "草稿", "T-009": "已申报"}
    (step,) = ProjectTransition.objects.all()
    assert (step.project.code, step.from_status, step.to_status, step.action) == (
        "T-009",
        "草稿",
        "已申报",
        "申报",
    )
    assert step.user == users["op_nanhu"] and step.effective_on == dt.date.today()
    assert step.comment == "Excel 导入：a.xlsx"


def test_a_city_administrator_loading_legacy_data_writes_one_导入_transition_per_row_with_its_date(
    run_import, tmp_path
):
    users = named_users()
    rows = [project_row("已兑现", dt.date(2024, 6, 30)), project_row("在建", "2024-02-01", code="T-002")]
    path = F.xlsx(tmp_path / "legacy.xlsx", {"企业": [F.ENTERPRISE_A], "项目": rows})
    report = run_import(path, user=users["city_admin"], scope=ADMIN)
    assert report.committed, lines(report)
    steps = {t.project.code: t for t in ProjectTransition.objects.select_related("project")}
    assert {c: (t.from_status, t.to_status, t.action, t.effective_on) for c, t in steps.items()} == {
        "T-001": ("草稿", "已兑现", "导入", dt.date(2024, 6, 30)),
        "T-002": ("草稿", "在建", "导入", dt.date(2024, 2, 1)),
    }
    assert all(
        t.user == users["city_admin"] and t.comment == "Excel 导入：legacy.xlsx" for t in steps.values()
    )
    # importing the same file again changes no state and writes no step
    assert run_import(path, user=users["city_admin"], scope=ADMIN).committed
    assert ProjectTransition.objects.count() == 2


def test_a_city_administrator_without_状态日期_cannot_set_a_later_state(run_import, tmp_path):
    path = F.xlsx(tmp_path / "a.xlsx", {"企业": [F.ENTERPRISE_A], "项目": [project_row("在建")]})
    assert lines(run_import(path, scope=ADMIN)) == [
        "项目, 第2行, 状态: 市级管理员不能把项目直接设为“在建”（可设：草稿、已申报；导入历史数据请填写“状态日期”）"
    ]
    future = F.xlsx(
        tmp_path / "b.xlsx",
        {"企业": [F.ENTERPRISE_A], "项目": [project_row("在建", dt.date.today() + dt.timedelta(days=1))]},
    )
    assert lines(run_import(future, scope=ADMIN)) == ["项目, 第2行, 状态日期: 状态日期不能晚于今天"]
    assert Project.objects.count() == 0


def test_an_existing_project_moves_one_step_along_the_workflow_like_on_its_page(run_import, tmp_path):
    users = named_users()
    legacy = F.xlsx(
        tmp_path / "a.xlsx", {"企业": [F.ENTERPRISE_A], "项目": [project_row("在建", "2024-01-05")]}
    )
    assert run_import(legacy, scope=ADMIN).committed
    skip = F.xlsx(tmp_path / "b.xlsx", {"项目": [project_row("验收通过")]})
    report = run_import(skip, user=users["op_nanhu"], scope=NANHU)
    assert lines(report) == [
        "项目, 第2行, 状态: 区域操作员不能把项目从“在建”直接改为“验收通过”（可设：在建、竣工）"
    ]
    assert Project.objects.get().status == "在建"
    step = F.xlsx(tmp_path / "c.xlsx", {"项目": [project_row("竣工")]})
    assert run_import(step, user=users["op_nanhu"], scope=NANHU).committed
    project = Project.objects.get()
    last = project.transitions.order_by("id").last()
    assert (project.status, last.from_status, last.to_status, last.action) == ("竣工", "在建", "竣工", "竣工")
    assert last.user == users["op_nanhu"]
    assert project.version == 2  # a page that read version 1 is refused as stale


def test_an_area_operator_cannot_change_a_settled_project_by_import(run_import, tmp_path):
    users = named_users()
    legacy = F.xlsx(
        tmp_path / "a.xlsx", {"企业": [F.ENTERPRISE_A], "项目": [project_row("已兑现", "2024-06-30")]}
    )
    assert run_import(legacy, scope=ADMIN).committed
    changed = project_row("已兑现")
    changed[6] = 9999  # 总投资(万元)
    report = run_import(F.xlsx(tmp_path / "b.xlsx", {"项目": [changed]}), user=users["op_nanhu"], scope=NANHU)
    assert lines(report) == ["项目, 第2行, 项目编号: 项目 T-001 当前状态为“已兑现”，您（区域操作员）无权修改"]


def test_an_import_into_a_locked_month_is_refused_for_an_operator_and_corrected_by_the_city_with_a_reason(
    run_import, tmp_path
):
    users = named_users()
    legacy = F.xlsx(
        tmp_path / "a.xlsx", {"企业": [F.ENTERPRISE_A], "项目": [project_row("在建", "2024-01-05")]}
    )
    assert run_import(legacy, scope=ADMIN).committed
    # 南湖's February confirmed by the city (the ladder's last step, reporting/approval.py)
    MonthApproval.objects.create(area_id="330402", month=dt.date(2024, 2, 1), state="市级已确认")
    progress = F.xlsx(tmp_path / "p.xlsx", {"月度进度": [F.PROGRESS_A]})
    report = run_import(progress, user=users["op_nanhu"], scope=NANHU)
    assert lines(report) == [
        "月度进度, 第2行, 月份(YYYY-MM): 2024年02月 已由市里确认锁定，只有市级管理员可以更正"
    ]
    report = run_import(progress, user=users["city_admin"], scope=ADMIN)
    assert lines(report) == [
        "月度进度, 第2行, 月份(YYYY-MM): 2024年02月 已锁定，更正须填写理由"
        "（请在上传页填写“更正理由”，或 renewal import --reason）"
    ]
    assert MonthlyProgress.objects.count() == 0
    report = run_import(progress, user=users["city_admin"], scope=ADMIN, reason="统计局核定数更正")
    assert report.committed, lines(report)
    (history,) = MonthlyProgress.objects.get().history.all()
    assert history.history_change_reason == "Excel 导入：p.xlsx；更正理由：统计局核定数更正"
    assert history.history_user == users["city_admin"]
    # an unlocked month needs no reason
    open_month = F.xlsx(tmp_path / "q.xlsx", {"月度进度": [["T-001", "2024-03", 10, 5, 0, 0]]})
    assert run_import(open_month, user=users["op_nanhu"], scope=NANHU).committed
