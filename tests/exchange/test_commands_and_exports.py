"""`renewal import`, `renewal template`, `renewal export`, and export → import round trips."""

import datetime as dt
import io
from decimal import Decimal

import openpyxl
import pytest
from django.core.management import call_command

from renewal.accounts.models import Role
from renewal.accounts.scope import Scope
from renewal.exchange import sheets as S
from renewal.exchange.registry_exports import registry_export
from renewal.lib import xlsx as X
from renewal.registry.models import Enterprise, Project

from . import files as F


def test_the_cli_prints_sheet_row_column_lines_writes_nothing_and_exits_1(loaded_plan, tmp_path, capsys):
    bad = [*F.PROJECT_A]
    bad[7] = 9000
    path = F.xlsx(tmp_path / "bad.xlsx", {"企业": [F.ENTERPRISE_A], "项目": [bad]})
    with pytest.raises(SystemExit) as exit_:
        call_command("import", str(path))
    assert exit_.value.code == 1
    out = capsys.readouterr().out
    assert "项目, 第2行, 设备投资(万元): 设备投资不能大于总投资" in out.splitlines()
    assert Enterprise.objects.count() == 0


def test_the_cli_dry_run_previews_and_writes_nothing(loaded_plan, tmp_path, capsys):
    call_command("import", str(F.clean_workbook(tmp_path / "c.xlsx")), "--dry-run")
    assert "预览（未写入）：企业：新增 2" in capsys.readouterr().out
    assert Enterprise.objects.count() == 0


def test_the_cli_imports_as_the_given_user_within_its_area(loaded_plan, tmp_path, capsys):
    from tests.factories import named_users

    named_users()
    path = F.xlsx(tmp_path / "a.xlsx", {"企业": [F.ENTERPRISE_B]})
    with pytest.raises(SystemExit):
        call_command("import", str(path), "--user", "op-330402")
    assert "超出您的权限范围" in capsys.readouterr().out
    call_command("import", str(path), "--user", "op-330481", "--progress")
    captured = capsys.readouterr()
    assert "已导入：企业：新增 1" in captured.out and "100.0%" in captured.err
    assert Enterprise.objects.get().history.first().history_user.username == "op-330481"


def test_the_template_has_exactly_the_design_headers_comments_lists_and_an_example(loaded_plan, tmp_path):
    path = tmp_path / "t.xlsx"
    call_command("template", "-o", str(path))
    wb = openpyxl.load_workbook(path)
    assert wb.sheetnames == [
        "企业", "项目", "月度进度", "试点示范", "首台套", "设备清单", "设备台账", "资金下达", "统计指标", "基金投资", "贷款", "放款", "还款", "亩均数据",
        "淘汰目录", "园区", "园区企业", "智慧园区建设", "绿色园区", "企业环保绩效评级", "选项"
    ]  # fmt: skip
    assert wb["选项"].sheet_state == "hidden"
    design = {
        "企业": "统一社会信用代码, 企业名称, 所属区域, 行业代码, 是否规上, 用地面积(亩), 从业人员(人), 高新技术企业, 集成电路企业, 工业母机企业, 联系人, 联系电话",
        "项目": "项目编号, 项目名称, 统一社会信用代码, 年度, 项目类型, 省级重点技改, 总投资(万元), 设备投资(万元), 首台套购置额(万元), 新增工业机器人(台), 新增数控机床(台), 节能量(吨标准煤), 是否新增用地, 开工日期, 竣工日期, 状态, 状态日期, 贷款需求(万元), 意向银行",
        "月度进度": "项目编号, 月份(YYYY-MM), 完成投资(万元), 完成设备投资(万元), 机器人到位(台), 数控机床到位(台)",
        "试点示范": "统一社会信用代码, 类型, 级别, 年度",
        "首台套": "统一社会信用代码, 产品名称, 类别, 级别, 年度",
        "设备清单": "项目编号, 序号, 设备名称, 规格型号, 设备类别, 购置方式, 单价(万元), 数量, 租赁费(万元), 国产/进口, 首台套级别, 首台套产品, 供应商, 发票号, 购置日期, 折旧类别",
        "资金下达": "项目编号, 资金级别, 年度, 金额(万元), 文号, 下达日期, 用途",
        "统计指标": "指标代码, 区域, 期间, 数值",
        "贷款": "合同编号, 项目编号, 贷款银行, 签约日期, 签约金额(万元), 年利率(%), 期限(月), 再贷款支持",
        "放款": "合同编号, 放款日期, 放款金额(万元)",
        "还款": "合同编号, 还款日期, 还款金额(万元)",
        "基金投资": "统一社会信用代码, 基金名称, 投资日期, 投资金额(万元)",
        "设备台账": "统一社会信用代码, 设备编号, 设备名称, 规格型号, 设备类别, 购置年份, 原值(万元), 额定功率(kW), 能效等级, 状态, 淘汰日期, 替换项目编号",
        "淘汰目录": "目录, 批次, 序号, 设备名称, 设备类别, 型号前缀, 淘汰原因, 文号, 生效日期, 示例",
    }
    for name, headers in design.items():
        ws = wb[name]
        assert [c.value for c in ws[1]] == headers.split(", ")
        assert all(c.comment is not None for c in ws[1])
        assert ws.freeze_panes == "A2"
        assert ws.cell(2, 1).value is not None  # the example row
    project_lists = {
        str(dv.sqref).split(":")[0]: dv.formula1 for dv in wb["项目"].data_validations.dataValidation
    }
    options = wb["选项"]
    statuses = project_lists["P2"]  # 状态
    column = statuses.split("!")[1].split(":")[0].replace("$", "")[0]
    assert [options[f"{column}{i}"].value for i in range(1, 11)] == [
        "草稿", "已申报", "区县审核通过", "已入库", "在建", "竣工", "验收通过", "已兑现", "退回", "撤销"
    ]  # fmt: skip
    area_list = {
        str(dv.sqref).split(":")[0]: dv.formula1 for dv in wb["企业"].data_validations.dataValidation
    }["C2"]
    column = area_list.split("!")[1].split(":")[0].replace("$", "")[0]
    assert options[f"{column}1"].value == "南湖区" and options[f"{column}9"].value == "嘉兴港区"


def test_a_template_of_one_kind(loaded_plan, tmp_path):
    path = tmp_path / "p.xlsx"
    call_command("template", "项目", "-o", str(path))
    assert openpyxl.load_workbook(path).sheetnames == ["项目", "选项"]


def test_export_then_import_is_a_no_op(run_import, tmp_path):
    bigger = [*F.PROJECT_A]
    bigger[6], bigger[7], bigger[8] = "1234.567891", "1000.01", "0.5"  # amounts to the fen
    assert run_import(
        F.xlsx(
            tmp_path / "a.xlsx",
            {
                "企业": [F.ENTERPRISE_A, F.ENTERPRISE_B],
                "项目": [bigger, F.PROJECT_B],
                "月度进度": [F.PROGRESS_A],
            },
        )
    ).committed
    assert Project.objects.get(code="T-001").total_investment == Decimal("12345678.91")
    city = Scope(role=Role.CITY_ADMIN)
    for kind in ("enterprises", "projects", "progress"):
        path = tmp_path / f"{kind}.xlsx"
        registry_export(str(path), kind=kind, scope=city)
        report = run_import(path)
        assert report.committed
        assert [(s.new, s.changed) for s in report.sheets] == [(0, 0)], kind
        assert report.sheets[0].unchanged > 0


def test_exports_write_numbers_dates_frozen_headers_and_neutralise_formulas(tmp_path):
    path = tmp_path / "x.xlsx"
    columns = [
        X.ExportColumn("名称", "name"),
        X.ExportColumn("总投资(万元)", "amount", X.WAN),
        X.ExportColumn("开工日期", "start", X.DATE),
        X.ExportColumn("完成率", "ratio", X.PERCENT),
        X.ExportColumn("省级重点技改", "key", X.BOOL),
    ]
    rows = [
        {
            "name": '=HYPERLINK("http://evil")',
            "amount": Decimal("12345678.91"),
            "start": dt.date(2024, 1, 5),
            "ratio": 0.55,
            "key": True,
        },
        {"name": "+1", "amount": 0, "start": None, "ratio": None, "key": False},
        {"name": "@SUM(A1)", "amount": 1, "start": None, "ratio": 1, "key": False},
        {"name": "-2", "amount": 1, "start": None, "ratio": 1, "key": False},
    ]
    assert X.write_xlsx(str(path), [X.ExportSheet("项目", columns, rows)]) == 4
    ws = openpyxl.load_workbook(path)["项目"]
    assert ws.freeze_panes == "A2"
    assert [c.value for c in ws[1]] == ["名称", "总投资(万元)", "开工日期", "完成率", "省级重点技改"]
    assert (
        ws["A2"].data_type == "s" and ws["A2"].value == '=HYPERLINK("http://evil")' and ws["A2"].quotePrefix
    )
    assert all(ws[f"A{r}"].quotePrefix and ws[f"A{r}"].data_type == "s" for r in (3, 4, 5))
    assert ws["B2"].value == pytest.approx(1234.567891) and ws["B2"].data_type == "n"
    assert ws["C2"].value == dt.datetime(2024, 1, 5) and ws["C2"].is_date
    assert ws["D2"].number_format == "0.0%" and ws["E2"].value == "是"
    assert ws.column_dimensions["B"].width > ws.column_dimensions["E"].width - 2 >= 8  # set, not default


def test_export_respects_the_scope_and_filters(run_import, tmp_path):
    run_import(F.clean_workbook(tmp_path / "c.xlsx"))
    path = tmp_path / "p.xlsx"
    registry_export(str(path), kind="projects", scope=Scope(role=Role.AREA_OPERATOR, area="330402"))
    ws = openpyxl.load_workbook(path)["项目"]
    assert [r[0].value for r in ws.iter_rows(min_row=2)] == ["T-001"]
    registry_export(str(path), kind="projects", scope=Scope(role=Role.CITY_ADMIN), status="已入库")
    ws = openpyxl.load_workbook(path)["项目"]
    assert [r[0].value for r in ws.iter_rows(min_row=2)] == ["T-002"]
    assert [c.value for c in ws[1]] == S.BY_KIND["projects"].headers


@pytest.mark.django_db
def test_the_project_list_page_offers_its_filtered_export_and_the_template(client, loaded_plan):
    from tests.factories import named_users

    client.force_login(named_users()["op_nanhu"])
    page = client.get("/registry/projects/?year=2024&status=在建").content.decode()
    link = "/exchange/export/projects.xlsx?year=2024&amp;status=%E5%9C%A8%E5%BB%BA"  # 在建, URL-encoded
    assert f'<a href="{link}">导出 Excel</a>' in page
    progress = link.replace("projects.xlsx", "progress.xlsx")
    assert f'<a href="{progress}">导出月度进度</a>' in page
    assert '<a href="/exchange/template/projects.xlsx">下载导入模板</a>' in page


@pytest.mark.django_db
def test_the_project_export_from_the_list_keeps_its_free_text_filter(client, run_import, tmp_path):
    from tests.factories import named_users

    run_import(F.clean_workbook(tmp_path / "c.xlsx"))
    client.force_login(named_users()["city_admin"])
    page = client.get("/registry/projects/?q=经编").content.decode()
    link = "/exchange/export/projects.xlsx?q=%E7%BB%8F%E7%BC%96"
    assert f'<a href="{link}">导出 Excel</a>' in page
    response = client.get(link)
    ws = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)))["项目"]
    assert [r[0].value for r in ws.iter_rows(min_row=2)] == ["T-002"]  # 经编车间智能化 only
    # the enterprise's name counts too, like on the list page
    rows = client.get("/exchange/export/projects.xlsx?q=南湖测试").streaming_content
    ws = openpyxl.load_workbook(io.BytesIO(b"".join(rows)))["项目"]
    assert [r[0].value for r in ws.iter_rows(min_row=2)] == ["T-001"]
