"""The import pipeline with real files: clean files import, broken ones write nothing and say
precisely why (sheet, row, column, Chinese message)."""

import datetime as dt
from decimal import Decimal
from pathlib import Path

import pytest

from renewal.accounts.models import Role
from renewal.accounts.scope import Scope
from renewal.registry.models import Enterprise, FirstSetProduct, Honour, MonthlyProgress, Project
from tests.factories import named_users

from . import files as F

SAMPLE = Path("/work/shared/examples/registry-sample.xlsx")
SAMPLE_COPY = Path(__file__).resolve().parents[1] / "fixtures" / "exchange" / "registry-sample.xlsx"


def counts() -> tuple:
    return (
        Enterprise.objects.count(),
        Project.objects.count(),
        MonthlyProgress.objects.count(),
        Honour.objects.count(),
        FirstSetProduct.objects.count(),
        Enterprise.history.count() + Project.history.count() + MonthlyProgress.history.count(),
    )


def lines(report) -> list[str]:
    return [i.line() for i in report.errors]


def test_the_shared_sample_workbook_imports_cleanly_as_legacy_data(run_import, tmp_path):
    report = run_import(F.legacy_sample(tmp_path / "registry-sample.xlsx"))
    assert report.ok and report.committed, lines(report)
    assert {s.name: s.new for s in report.sheets} == {
        "企业": 4,
        "项目": 6,
        "月度进度": 7,
        "试点示范": 4,
        "首台套": 2,
    }
    # the enterprise whose area is given by its code
    assert Enterprise.objects.get(uscc="91330482MA2D4E5F65").area_id == "330482"
    ex1 = Project.objects.get(code="EX-001")
    assert ex1.total_investment == Decimal("1500000000")  # 150000 万元 in yuan
    assert ex1.types == "设备更新、智能化改造"  # the enumeration's order
    assert ex1.area_id == "330481" and ex1.start_date == dt.date(2024, 1, 10) and ex1.end_date is None


def test_importing_the_same_file_twice_changes_nothing_the_second_time(run_import, tmp_path):
    path = F.clean_workbook(tmp_path / "clean.xlsx")
    first = run_import(path)
    assert first.committed, lines(first)
    before = counts()
    second = run_import(path)
    assert second.committed
    assert counts() == before  # no row, no history entry
    assert all(s.new == 0 and s.changed == 0 for s in second.sheets)
    assert [s.unchanged for s in second.sheets] == [2, 2, 1]


def test_a_changed_value_is_an_update_with_the_importer_in_the_history(run_import, tmp_path):
    users = named_users()
    run_import(F.clean_workbook(tmp_path / "a.xlsx"))
    changed = [*F.PROJECT_A]
    changed[6] = 3500  # 总投资(万元)
    report = run_import(
        F.xlsx(tmp_path / "b.xlsx", {"项目": [changed, F.PROJECT_B]}), user=users["city_admin"]
    )
    assert report.committed
    assert [(s.new, s.changed, s.unchanged) for s in report.sheets] == [(0, 1, 1)]
    project = Project.objects.get(code="T-001")
    assert project.total_investment == Decimal(35_000_000)
    latest = project.history.first()
    assert latest.history_user == users["city_admin"] and latest.history_type == "~"
    assert latest.history_change_reason == "Excel 导入：b.xlsx"


def test_an_error_in_the_last_row_leaves_the_database_unchanged(run_import, tmp_path):
    bad = [*F.PROJECT_B]
    bad[7] = 2000  # equipment 2000 > total 1500
    path = F.xlsx(tmp_path / "x.xlsx", {"企业": [F.ENTERPRISE_A, F.ENTERPRISE_B], "项目": [F.PROJECT_A, bad]})
    report = run_import(path)
    assert not report.committed
    assert lines(report) == ["项目, 第3行, 设备投资(万元): 设备投资不能大于总投资"]
    assert counts() == (0, 0, 0, 0, 0, 0)


def test_the_dry_run_writes_nothing_but_previews_the_counts(run_import, tmp_path):
    report = run_import(F.clean_workbook(tmp_path / "c.xlsx"), dry_run=True)
    assert report.ok and not report.committed
    assert [(s.name, s.new) for s in report.sheets] == [("企业", 2), ("项目", 2), ("月度进度", 1)]
    assert counts() == (0, 0, 0, 0, 0, 0)


@pytest.mark.parametrize("encoding", ["gbk", "utf-8", "utf-8-sig"])
def test_a_csv_in_gbk_or_utf8_imports(run_import, tmp_path, encoding):
    path = F.csv_file(tmp_path / "data.csv", "企业", [F.ENTERPRISE_A, F.ENTERPRISE_B], encoding)
    report = run_import(path)
    assert report.committed, lines(report)
    assert Enterprise.objects.get(uscc=F.USCC_A).name == "南湖测试汽配有限公司"


def test_forgiving_cells_full_width_digits_text_dates_and_yes_no(run_import, tmp_path):
    ent = [
        f"  {F.USCC_A} ",
        "南湖测试汽配有限公司",
        " 南湖 ",
        "３６",
        "y",
        "１２０",
        "9,00",
        "否",
        "N",
        "FALSE",
    ]
    proj = [*F.PROJECT_A]
    proj[6], proj[13], proj[14] = "３０００", "2024-01-05", "2024/2/8"
    report = run_import(F.xlsx(tmp_path / "f.xlsx", {"企业": [ent], "项目": [proj]}))
    assert report.committed, lines(report)
    e = Enterprise.objects.get(uscc=F.USCC_A)
    assert (e.area_id, e.industry_code, e.above_scale, e.land_mu, e.employees) == (
        "330402",
        "36",
        True,
        120,
        900,
    )
    p = Project.objects.get(code="T-001")
    assert p.total_investment == 30_000_000 and p.end_date == dt.date(2024, 2, 8)


def test_an_area_alias_is_accepted(run_import, tmp_path):
    ent = [*F.ENTERPRISE_A]
    ent[2] = "经开区"
    assert run_import(F.xlsx(tmp_path / "a.xlsx", {"企业": [ent]})).committed
    assert Enterprise.objects.get().area_id == "jxedz"


CELL_ERRORS = [
    ("企业", 0, "123", "统一社会信用代码", "统一社会信用代码应为 18 位，实为 3 位"),
    (
        "企业",
        0,
        "91330402MA29P4Q6R8",
        "统一社会信用代码",
        "统一社会信用代码校验位应为 7，实为 8；如确为早期试点地区代码，请人工核实后确认",
    ),
    (
        "企业",
        2,
        "火星区",
        "所属区域",
        "未知的区域“火星区”（可填：南湖区、秀洲区、嘉善县、平湖市、海盐县、海宁市、桐乡市、嘉兴经济技术开发区、嘉兴港区，或区域代码）",
    ),
    ("企业", 3, "99", "行业代码", "未知的行业代码“99”（应为 GB/T 4754-2017 制造业代码，13–43 开头）"),
    ("企业", 4, "也许", "是否规上", "应填“是”或“否”（也接受 Y/N），实为“也许”"),
    ("企业", 5, "一百亩", "用地面积(亩)", "应为数字，实为文本“一百亩”"),
    ("企业", 6, 12.5, "从业人员(人)", "应为整数，实为 12.5"),
    ("企业", 1, "", "企业名称", "不能为空"),
    ("项目", 3, 1999, "年度", "年度 1999 不合理（应为 2000–2100 的四位年份）"),
    (
        "项目",
        4,
        "技术改造、造火箭",
        "项目类型",
        "未知的值 造火箭（可选：技术改造、设备更新、智能化改造、数字化改造、绿色化改造、安全化改造、产业链协同创新）",
    ),
    ("项目", 6, -5, "总投资(万元)", "不能为负数（-5）"),
    ("项目", 13, "2024-02-30", "开工日期", "日期不存在：“2024-02-30”"),
    ("项目", 13, "下个月", "开工日期", "应为日期（如 2024-01-05 或 2024/1/5），实为“下个月”"),
    ("项目", 14, "2023-12-31", "竣工日期", "竣工日期不能早于开工日期"),
    (
        "项目",
        15,
        "完成了",
        "状态",
        "“完成了”不是可选值（可选：草稿、已申报、区县审核通过、已入库、在建、竣工、验收通过、已兑现、退回、撤销）",
    ),
    (
        "项目",
        2,
        "91330411MA2XXXXXX0",
        "统一社会信用代码",
        "企业 91330411MA2XXXXXX0 未登记或无权操作，且不在本文件的“企业”表中",
    ),
    ("项目", 8, 2000, "首台套购置额(万元)", "首台套购置额不能大于设备投资"),
    ("月度进度", 1, "2024-13", "月份(YYYY-MM)", "应为月份（YYYY-MM，如 2024-03），实为“2024-13”"),
    ("月度进度", 3, 1200, "完成设备投资(万元)", "完成设备投资不能大于完成投资"),
    ("月度进度", 0, "T-999", "项目编号", "项目 T-999 未登记或无权操作，且不在本文件的“项目”表中"),
]


@pytest.mark.parametrize(("sheet", "col", "value", "header", "message"), CELL_ERRORS)
def test_every_bad_cell_is_refused_with_sheet_row_column_and_a_chinese_message(
    run_import, tmp_path, sheet, col, value, header, message
):
    rows = {"企业": [[*F.ENTERPRISE_A]], "项目": [[*F.PROJECT_A]], "月度进度": [[*F.PROGRESS_A]]}
    rows[sheet][0][col] = value
    report = run_import(F.xlsx(tmp_path / "bad.xlsx", rows))
    assert not report.committed
    errors = [e for e in report.errors if e.sheet == sheet]  # later sheets may cascade
    assert len(errors) == 1, lines(report)
    assert (errors[0].sheet, errors[0].row, errors[0].column) == (sheet, 2, header)
    assert errors[0].message == message
    assert counts() == (0, 0, 0, 0, 0, 0)


def test_every_invalid_row_is_listed_not_only_the_first(run_import, tmp_path):
    a, b = [*F.ENTERPRISE_A], [*F.ENTERPRISE_B]
    a[3], b[5] = "99", "abc"
    report = run_import(F.xlsx(tmp_path / "two.xlsx", {"企业": [a, b]}))
    assert [(i.row, i.column) for i in report.errors] == [(2, "行业代码"), (3, "用地面积(亩)")]


def test_duplicates_inside_the_file_are_refused(run_import, tmp_path):
    report = run_import(F.xlsx(tmp_path / "dup.xlsx", {"企业": [F.ENTERPRISE_A, F.ENTERPRISE_A]}))
    assert lines(report) == [f"企业, 第3行, 统一社会信用代码: 与第 2 行重复（{F.USCC_A}）"]


def test_a_project_whose_enterprise_row_is_wrong_points_at_that_row(run_import, tmp_path):
    ent = [*F.ENTERPRISE_A]
    ent[3] = "99"
    report = run_import(F.xlsx(tmp_path / "ref.xlsx", {"企业": [ent], "项目": [F.PROJECT_A]}))
    assert "在本文件“企业”表中的行有错误" in report.errors[1].message


def test_a_header_with_full_width_brackets_still_matches(run_import, tmp_path):
    headers = {"企业": [h.replace("(", "（").replace(")", "）") for h in F.S.BY_KIND["enterprises"].headers]}
    assert run_import(F.xlsx(tmp_path / "fw.xlsx", {"企业": [F.ENTERPRISE_A]}, headers)).committed


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("empty.xlsx", b"", "文件为空（0 字节）"),
        ("empty.csv", b"", "文件为空（0 字节）"),
        (
            "corrupt.xlsx",
            b"PK\x03\x04 this is not really a zip",
            "文件已损坏或不是有效的 Excel 文件（ZipError）",
        ),
        ("notes.txt", b"hello", "不支持的文件类型“.txt”（请上传 .xlsx、.xls 或 .csv 文件）"),
        ("random.xls", bytes(range(256)) * 4, "文件已损坏或不是有效的 Excel 文件（CalamineError）"),
    ],
)
def test_unreadable_files_are_refused_with_a_reason(run_import, tmp_path, name, content, message):
    path = tmp_path / name
    path.write_bytes(content)
    report = run_import(path)
    assert report.fatal == message and not report.committed


def test_a_workbook_with_headers_but_no_rows_is_refused(run_import, tmp_path):
    report = run_import(F.xlsx(tmp_path / "none.xlsx", {"企业": []}))
    assert report.fatal == "文件中没有数据行"


def test_a_workbook_without_any_known_sheet_is_refused(run_import, tmp_path):
    report = run_import(
        F.xlsx(tmp_path / "other.xlsx", {"企业": [F.ENTERPRISE_A]}, None) and _rename(tmp_path)
    )
    assert report.fatal.startswith("文件中没有可导入的工作表")


def _rename(tmp_path):
    import xlsxwriter

    path = tmp_path / "sheet1.xlsx"
    wb = xlsxwriter.Workbook(str(path))
    wb.add_worksheet("Sheet1").write("A1", "x")
    wb.close()
    return path


def test_an_area_operator_cannot_import_rows_of_another_area(run_import, tmp_path):
    users = named_users()
    nanhu = Scope(role=Role.AREA_OPERATOR, area="330402")
    path = F.xlsx(
        tmp_path / "areas.xlsx",
        {"企业": [F.ENTERPRISE_A, F.ENTERPRISE_B], "项目": [F.DECLARED_A, F.DECLARED_B]},
    )
    report = run_import(path, user=users["op_nanhu"], scope=nanhu)
    assert lines(report) == [
        "企业, 第3行, 所属区域: 该行属于海宁市，超出您的权限范围（您只能导入南湖区的数据）",
        "项目, 第3行, 统一社会信用代码: 该行属于海宁市，超出您的权限范围（您只能导入南湖区的数据）",
    ]
    assert counts() == (0, 0, 0, 0, 0, 0)
    own = F.xlsx(tmp_path / "own.xlsx", {"企业": [F.ENTERPRISE_A], "项目": [F.DECLARED_A]})
    report = run_import(own, user=users["op_nanhu"], scope=nanhu)
    assert report.committed
    assert Project.objects.get().history.first().history_user == users["op_nanhu"]


def test_an_area_operator_cannot_move_an_enterprise_of_another_area_into_its_own(run_import, tmp_path):
    run_import(F.xlsx(tmp_path / "a.xlsx", {"企业": [F.ENTERPRISE_B]}))  # 海宁, by the city
    moved = [*F.ENTERPRISE_B]
    moved[2] = "南湖区"
    report = run_import(
        F.xlsx(tmp_path / "b.xlsx", {"企业": [moved]}), scope=Scope(role=Role.AREA_OPERATOR, area="330402")
    )
    message = report.errors[0].message
    assert "无权操作" in message and "海宁" not in message  # the taken code's area is not told
    assert Enterprise.objects.get().area_id == "330481"


def test_a_viewer_cannot_import_at_all(run_import, tmp_path):
    report = run_import(F.clean_workbook(tmp_path / "c.xlsx"), scope=Scope(role=Role.VIEWER))
    assert report.fatal.startswith("当前用户无权导入数据")


def test_honours_first_sets_and_statistics_upsert_on_their_natural_keys(run_import, tmp_path):
    sheets = {
        "企业": [F.ENTERPRISE_A],
        "试点示范": [[F.USCC_A, "绿色工厂", "省级", 2024]],
        "首台套": [[F.USCC_A, "精密车床", "首台套", "省级", 2024]],
        "统计指标": [
            ["mfg_investment", "全市", "2024-03", 12_300_000_000],
            ["mfg_investment", "南湖", 2024, 5],
        ],
    }
    assert run_import(F.xlsx(tmp_path / "a.xlsx", sheets)).committed
    sheets["首台套"] = [[F.USCC_A, "精密车床", "首台套", "国家级", 2024]]  # level changes
    report = run_import(F.xlsx(tmp_path / "b.xlsx", sheets))
    assert [(s.name, s.new, s.changed, s.unchanged) for s in report.sheets] == [
        ("企业", 0, 0, 1),
        ("试点示范", 0, 0, 1),
        ("首台套", 0, 1, 0),
        ("统计指标", 0, 0, 2),
    ]
    from renewal.registry.models import Statistic

    assert sorted(Statistic.objects.values_list("area_code", "period", "month")) == [
        ("330400", "2024-03", 3),
        ("330402", "2024", 12),
    ]


def test_an_unknown_statistic_code_is_refused(run_import, tmp_path):
    report = run_import(F.xlsx(tmp_path / "s.xlsx", {"统计指标": [["gdp_of_mars", "全市", "2024", 1]]}))
    assert report.errors[0].column == "指标代码" and "未知的指标代码" in report.errors[0].message


def test_the_template_example_row_is_skipped(run_import, tmp_path):
    from renewal.exchange.template import write_template

    path = tmp_path / "t.xlsx"
    write_template(str(path))
    report = run_import(path)
    assert report.fatal == "文件中没有数据行"
    assert Enterprise.objects.count() == 0


def test_a_row_for_a_soft_deleted_record_is_refused_until_it_is_restored(run_import, tmp_path):
    path = F.clean_workbook(tmp_path / "clean.xlsx")
    assert run_import(path).committed
    Project.objects.filter(code="T-001").update(is_deleted=True)
    before = counts()
    report = run_import(path)
    assert not report.committed
    assert any(
        "项目 T-001 已被删除（在回收站中），请由市级管理员恢复后再导入" in line for line in lines(report)
    )
    assert counts() == before


def test_rows_for_the_records_of_a_deleted_enterprise_say_it_is_deleted(run_import, tmp_path):
    from renewal.registry.services import record_delete

    admin = named_users()["city_admin"]
    honour = [F.USCC_A, "绿色工厂", "省级", 2024]
    assert run_import(
        F.xlsx(tmp_path / "a.xlsx", {"企业": [F.ENTERPRISE_A], "项目": [F.PROJECT_A], "试点示范": [honour]})
    ).committed
    record_delete(user=admin, obj=Enterprise.objects.get(uscc=F.USCC_A), reason="重复登记")
    report = run_import(F.xlsx(tmp_path / "b.xlsx", {"月度进度": [F.PROGRESS_A], "试点示范": [honour]}))
    assert not report.committed
    assert lines(report) == [
        "月度进度, 第2行, 项目编号: 项目 T-001 已被删除（在回收站中），请由市级管理员恢复后再导入",
        f"试点示范, 第2行, 统一社会信用代码: 企业 {F.USCC_A} 已被删除（在回收站中），请由市级管理员恢复后再导入",
    ]


def test_a_row_for_an_honour_deleted_by_itself_is_refused_not_inserted_again(run_import, tmp_path):
    from renewal.registry.services import record_delete

    honour = [F.USCC_A, "绿色工厂", "省级", 2024]
    path = F.xlsx(tmp_path / "a.xlsx", {"企业": [F.ENTERPRISE_A], "试点示范": [honour]})
    assert run_import(path).committed
    record_delete(user=named_users()["city_admin"], obj=Honour.objects.get())
    report = run_import(path)
    assert not report.committed
    assert lines(report) == [
        "试点示范, 第2行, 类型: 试点示范“南湖测试汽配有限公司 2024年省级绿色工厂” 已被删除（在回收站中），"
        "请由市级管理员恢复后再导入"
    ]


def _rollups() -> tuple:
    from renewal.indicators.models import CompletionRollup, ProgressRollup, ProjectRollup

    return (
        # without the id; progress keys emptied by a trigger stay as zero rows, a rebuild drops them
        sorted(
            tuple(str(v) for v in row[1:])
            for row in ProgressRollup.objects.exclude(row_count=0).values_list()
        ),
        sorted(tuple(str(v) for v in row[1:]) for row in ProjectRollup.objects.values_list()),
        sorted(tuple(str(v) for v in row[1:]) for row in CompletionRollup.objects.values_list()),
    )


def _triggers() -> set[str]:
    """The triggers and indexes (SQLite) a big import suspends and must put back."""
    from django.db import connection

    if connection.vendor != "sqlite":
        return set()
    with connection.cursor() as cursor:
        cursor.execute("SELECT type, name, sql FROM sqlite_master WHERE type IN ('trigger', 'index')")
        return set(cursor.fetchall())


def test_a_big_import_keeps_the_rollups_exact_and_the_triggers_in_place(run_import, tmp_path, monkeypatch):
    from renewal.exchange import importer
    from renewal.indicators.services import rollups_rebuild

    triggers = _triggers()
    assert any(kind == "index" and name.startswith("registry_project_") for kind, name, _ in triggers) or (
        not triggers
    )
    monkeypatch.setattr(importer, "BULK_ROWS", 1)  # every file counts as big (SQLite: triggers, indexes off)
    assert run_import(F.clean_workbook(tmp_path / "a.xlsx")).committed
    assert _triggers() == triggers  # put back before the commit
    changed = [*F.PROJECT_A]
    changed[6] = 3500  # 总投资(万元): an update
    assert run_import(F.xlsx(tmp_path / "b.xlsx", {"项目": [changed, F.PROJECT_B]})).committed
    bad = [*F.PROJECT_B]
    bad[7] = 9000  # refused: nothing written, the triggers come back with the rollback
    assert not run_import(F.xlsx(tmp_path / "c.xlsx", {"项目": [F.PROJECT_A, bad]})).committed
    assert _triggers() == triggers
    kept = _rollups()
    assert kept[1]  # projects are counted
    rollups_rebuild()
    assert _rollups() == kept
    Project.objects.filter(code="T-001").update(total_investment=123)  # the triggers still work
    changed_by_trigger = _rollups()
    rollups_rebuild()
    assert _rollups() == changed_by_trigger != kept


def test_every_new_row_gets_one_history_row_equal_to_it(run_import, tmp_path):
    """History rows of new records are copied by the database (bulk.insert_with_history): one "+"
    row per record, every tracked field equal, the importer's reason; multi-column keys too."""
    from renewal.registry.models import STRETCH_FIELDS, Statistic

    path = F.legacy_sample(tmp_path / "registry-sample.xlsx")
    assert run_import(path).committed
    checked = 0
    for model in (Enterprise, Project, MonthlyProgress, Honour, FirstSetProduct, Statistic):
        # a project's status stretches are derived from its transitions, not history (spells.py)
        fields = [f.attname for f in model._meta.concrete_fields if f.attname not in STRETCH_FIELDS]
        for record in model.objects.all():
            (history,) = record.history.all()
            assert history.history_type == "+"
            assert history.history_change_reason == "Excel 导入：registry-sample.xlsx"
            assert {f: getattr(history, f) for f in fields} == {f: getattr(record, f) for f in fields}
            checked += 1
    assert checked == 4 + 6 + 7 + 4 + 2
    # a second file over existing records: one history row per new or changed row, no more
    before = {m: m.history.count() for m in (Enterprise, Project, MonthlyProgress)}
    report = run_import(F.clean_workbook(tmp_path / "clean.xlsx"))
    assert report.committed
    written = {s.name: s.new + s.changed for s in report.sheets}
    assert {s.name: s.new for s in report.sheets}["项目"] > 0
    assert Enterprise.history.count() - before[Enterprise] == written["企业"]
    assert Project.history.count() - before[Project] == written["项目"]
    assert MonthlyProgress.history.count() - before[MonthlyProgress] == written["月度进度"]


def test_another_areas_registered_records_read_like_unknown_ones(run_import, tmp_path):
    """Issue 20: an import row naming a record outside the caller's scope gets the same message as
    one naming a record that does not exist — nothing tells which keys exist in other areas."""
    run_import(
        F.xlsx(tmp_path / "a.xlsx", {"企业": [F.ENTERPRISE_B], "项目": [F.PROJECT_B]})
    )  # 海宁, by the city
    nanhu = Scope(role=Role.AREA_OPERATOR, area="330402")
    code = F.PROJECT_B[0]
    rows = {"月度进度": [[code, *F.PROGRESS_A[1:]], ["T-999", *F.PROGRESS_A[1:]]]}
    report = run_import(F.xlsx(tmp_path / "b.xlsx", rows), scope=nanhu)
    assert lines(report) == [
        f"月度进度, 第2行, 项目编号: 项目 {code} 未登记或无权操作，且不在本文件的“项目”表中",
        "月度进度, 第3行, 项目编号: 项目 T-999 未登记或无权操作，且不在本文件的“项目”表中",
    ]
