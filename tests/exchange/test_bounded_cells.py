"""What PostgreSQL would refuse at commit is refused by the preview, with the same message, on
both databases (issue 20): control characters (``_x0000_`` in the file), text longer than its
column, numbers beyond their column. Nothing is written."""

import pytest

from renewal.exchange import sheets as S
from renewal.registry.models import Enterprise, Project

from . import files as F


def project(**cells) -> list:
    row = list(F.PROJECT_A)
    for index, value in cells.items():
        row[int(index[1:])] = value
    return row


CASES = [
    (project(c1="涂装\x00线改造"), "项目名称", "含有不允许的控制字符 NUL（第 3 个字符）"),
    (project(c1="涂装线\n改造"), "项目名称", "含有不允许的控制字符 换行符（第 4 个字符）"),
    (project(c1="改" * 10_000), "项目名称", "过长：10000 个字符（最多 200 个）"),
    (project(c0="T-\x1b001"), "项目编号", "含有不允许的控制字符 U+001B（第 3 个字符）"),
    (project(c9=1e12), "新增工业机器人(台)", "数值过大（应小于 2,147,483,648）"),
    (project(c6=1e13), "总投资(万元)", "数值过大（应小于 1,000,000,000,000万元）"),
]


@pytest.mark.parametrize(("row", "column", "message"), CASES)
@pytest.mark.parametrize("dry_run", [True, False], ids=["preview", "commit"])
def test_the_preview_and_the_commit_refuse_it_alike_and_write_nothing(
    run_import, tmp_path, row, column, message, dry_run
):
    path = F.xlsx(tmp_path / "a.xlsx", {"企业": [F.ENTERPRISE_A], "项目": [row]})
    report = run_import(path, dry_run=dry_run)
    assert [(i.sheet, i.row, i.column, i.message) for i in report.errors] == [("项目", 2, column, message)]
    assert not report.committed
    assert (Enterprise.objects.count(), Project.objects.count()) == (0, 0)


def test_a_header_with_a_nul_is_quoted_without_it(run_import, tmp_path):
    headers = {"项目": list(S.BY_NAME["项目"].headers)}
    headers["项目"][1] = "项目\x00名称"
    path = F.xlsx(tmp_path / "a.xlsx", {"项目": [F.PROJECT_A]}, headers=headers)
    report = run_import(path, dry_run=True)
    assert report.errors and all("\x00" not in i.line() for i in report.issues)
    assert any("项目\ufffd名称" in i.line() for i in report.issues)
