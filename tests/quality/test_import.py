"""The data checks on the import of 月度进度: an error is a row error naming the column, at preview
and at commit, with the same message as the form; a warning is told on the row and flagged once
written (issue 17)."""

import pytest

from renewal.accounts.models import Role
from renewal.accounts.scope import Scope
from renewal.exchange import services
from renewal.quality.models import ValueFlag
from renewal.registry.models import MonthlyProgress
from tests.exchange import files as F
from tests.factories import named_users

pytestmark = pytest.mark.django_db
ADMIN = Scope(role=Role.CITY_ADMIN)


@pytest.fixture
def run_import(loaded_plan):
    def run(path, *, dry_run=False, user=None):
        return services.workbook_import(
            path=path, filename=path.name, user=user, scope=ADMIN, dry_run=dry_run
        )

    return run


def errors(report) -> list[str]:
    return [i.line() for i in report.errors]


# T-001: 总投资 3,000万元, 新增工业机器人 6 (tests/exchange/files.py)
def workbook(tmp_path, progress):
    return F.xlsx(
        tmp_path / "p.xlsx", {"企业": [F.ENTERPRISE_A], "项目": [F.PROJECT_A], "月度进度": progress}
    )


@pytest.mark.parametrize("dry_run", [True, False])
def test_a_cumulative_sum_over_the_total_is_a_row_error_at_preview_and_commit(run_import, tmp_path, dry_run):
    # 2,000 + 1,001 = 3,001万元 > 3,000万元: the March row is refused; February alone is fine
    path = workbook(tmp_path, [["T-001", "2024-02", 2000, 0, 0, 0], ["T-001", "2024-03", 1001, 0, 0, 0]])
    report = run_import(path, dry_run=dry_run)
    assert errors(report) == [
        "月度进度, 第3行, 完成投资(万元): 完成投资：截至2024年3月累计3,001.00万元，超过项目总投资3,000.00万元"
    ]
    assert not report.committed and MonthlyProgress.objects.count() == 0


def test_the_rows_within_the_total_import(run_import, tmp_path):
    path = workbook(tmp_path, [["T-001", "2024-02", 2000, 0, 0, 0], ["T-001", "2024-03", 1000, 0, 0, 0]])
    report = run_import(path)
    assert report.committed, errors(report)


def test_an_import_is_checked_with_the_months_already_registered(run_import, tmp_path):
    assert run_import(workbook(tmp_path, [["T-001", "2024-02", 2500, 0, 0, 0]])).committed
    later = F.xlsx(tmp_path / "q.xlsx", {"月度进度": [["T-001", "2024-03", 501, 0, 0, 0]]})
    assert errors(run_import(later)) == [
        "月度进度, 第2行, 完成投资(万元): 完成投资：截至2024年3月累计3,001.00万元，超过项目总投资3,000.00万元"
    ]


def test_a_warning_keeps_the_row_and_flags_it_once_written(run_import, tmp_path):
    # robots: 4 + 3 = 7 > 新增工业机器人 6 (no equipment lines): a warning, not an error
    admin = named_users()["city_admin"]
    path = workbook(tmp_path, [["T-001", "2024-02", 100, 0, 4, 0], ["T-001", "2024-03", 100, 0, 3, 0]])
    preview = run_import(path, dry_run=True)
    assert preview.ok and not ValueFlag.objects.exists()
    assert [(w.row, w.column, w.message) for w in preview.warnings] == [
        (
            3,
            "机器人到位(台)",
            "机器人到位：截至2024年3月累计7台，超过设备清单或项目登记的新增工业机器人6台（保存后标记为待核实）",
        )
    ]
    report = run_import(path, user=admin)
    assert report.committed
    flag = ValueFlag.objects.get()
    assert (flag.project.code, f"{flag.month:%Y-%m}", flag.field, flag.state, flag.raised_by) == (
        "T-001",
        "2024-03",
        "robots",
        "待核实",
        admin,
    )
    # a corrected file closes it
    fixed = F.xlsx(tmp_path / "r.xlsx", {"月度进度": [["T-001", "2024-03", 100, 0, 2, 0]]})
    assert run_import(fixed, user=admin).committed
    flag.refresh_from_db()
    assert (flag.state, flag.closed_by) == ("已更正", admin)
