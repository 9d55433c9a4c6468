"""Each registry list exports exactly its filtered rows (all pages) in its import sheet's shape:
numbers as numbers, dates as dates, the header frozen, formulas neutralised; export → import of the
same file changes nothing."""

import datetime as dt
import html
import io
import re
from decimal import Decimal

import pytest
from django.urls import reverse
from python_calamine import CalamineWorkbook

from renewal.exchange import sheets as S
from renewal.registry.models import FirstSetProduct, Fund, Honour, Statistic
from tests.registry.lists import ODD_NAME, fill

pytestmark = pytest.mark.django_db


@pytest.fixture
def lists(people):
    return people | fill(people)


def download(client, url) -> bytes:
    response = client.get(url)
    assert response.status_code == 200, url
    return b"".join(response.streaming_content)


def sheet_rows(content: bytes, name: str) -> list[list]:
    return CalamineWorkbook.from_filelike(io.BytesIO(content)).get_sheet_by_name(name).to_python()


def export_link(client, page: str, params: dict) -> str:
    text = client.get(reverse(page), params).content.decode()
    [href] = re.findall(r'<a href="([^"]*)">导出 Excel</a>', text)
    return html.unescape(href)


def test_the_honour_export_holds_the_filtered_rows_with_years_as_numbers(client, lists, tmp_path):
    client.force_login(lists["city_admin"])
    content = download(client, export_link(client, "lists:honour_list", {"year": "2024", "level": "省级"}))
    rows = sheet_rows(content, "试点示范")
    assert rows[0] == S.BY_KIND["honours"].headers
    assert rows[1:] == [[lists["nanhu"].uscc, "绿色工厂", "省级", 2024]]
    assert isinstance(rows[1][3], int | float)


def test_the_first_set_export_keeps_a_formula_like_name_as_text(client, lists, tmp_path):
    import openpyxl

    client.force_login(lists["city_admin"])
    content = download(client, export_link(client, "lists:first_set_list", {"q": "涂装"}))
    ws = openpyxl.load_workbook(io.BytesIO(content))["首台套"]
    assert ws.freeze_panes == "A2"
    assert [c.value for c in ws[1]] == S.BY_KIND["first-sets"].headers
    assert [[c.value for c in r] for r in ws.iter_rows(min_row=2)] == [
        [lists["odd"].uscc, "=A&B 涂装线", "浙江制造精品", "省级", 2023]
    ]
    assert ws["B2"].data_type == "s" and ws["B2"].quotePrefix  # written as text, never a formula
    assert ws["E2"].data_type == "n"


def test_the_allocation_export_holds_the_operators_funds_in_wan_with_dates(client, lists):
    client.force_login(lists["op_haining"])
    rows = sheet_rows(download(client, export_link(client, "lists:allocation_list", {})), "资金下达")
    assert rows[0] == S.BY_KIND["allocations"].headers
    assert rows[1:] == [["HN-1", "国家级", 2024, 123.456789, "工信部〔2024〕3号", "", "技改项目补助"]]
    client.force_login(lists["city_admin"])
    rows = sheet_rows(
        download(client, export_link(client, "lists:allocation_list", {"level": "省级"})), "资金下达"
    )
    assert rows[1:] == [
        ["NH-1", "省级", 2024, 50.0, "浙财企〔2024〕12号", dt.date(2024, 6, 30), "设备更新项目补助"]
    ]


def test_the_statistic_export_writes_area_names_and_values_as_numbers(client, lists):
    client.force_login(lists["city_admin"])
    rows = sheet_rows(
        download(client, export_link(client, "lists:statistic_list", {"year": "2024"})), "统计指标"
    )
    assert rows[0] == S.BY_KIND["statistics"].headers
    assert rows[1:] == [
        ["cnc_rate", "南湖区", "2024", 0.615],
        ["mfg_investment", "嘉兴市", "2024-03", 4000000000.25],
        ["mfg_investment", "南湖区", "2024-03", 3000000000.5],
        ["mfg_investment", "海宁市", "2024-03", 1000000000.0],
    ]


def test_the_enterprise_export_follows_a_free_text_with_ampersand_spaces_and_chinese(client, lists):
    client.force_login(lists["city_admin"])
    link = export_link(client, "lists:enterprise_list", {"q": "A&B 汽配（中文）", "page": "1"})
    assert (
        link
        == "/exchange/export/enterprises.xlsx?q=A%26B+%E6%B1%BD%E9%85%8D%EF%BC%88%E4%B8%AD%E6%96%87%EF%BC%89"
    )
    rows = sheet_rows(download(client, link), "企业")
    assert [r[:2] for r in rows[1:]] == [[lists["odd"].uscc, ODD_NAME]]
    assert rows[1][5] == 12.5 and rows[1][4] == "否"  # 用地面积(亩) a number, 是否规上 是/否


def test_an_export_holds_every_page_not_only_the_first(client, lists):
    Honour.objects.bulk_create(
        Honour(enterprise=lists["haining"], kind=kind, level=level, year=year)
        for kind in ("智能工厂", "绿色工厂", "灯塔工厂")
        for level in ("省级", "市级", "县级")
        for year in range(2010, 2018)
    )  # 72 more rows for 海宁: two pages
    client.force_login(lists["op_haining"])
    text = client.get(reverse("lists:honour_list")).content.decode()
    assert "第 1 / 2 页" in text
    rows = sheet_rows(download(client, export_link(client, "lists:honour_list", {})), "试点示范")
    assert len(rows) - 1 == 73
    assert {r[0] for r in rows[1:]} == {lists["haining"].uscc}  # the operator's area only


def test_the_project_list_exports_its_projects_and_their_monthly_progress_with_dates(client, lists):
    from renewal.registry.models import MonthlyProgress

    nh = lists["NH"]
    nh.start_date = dt.date(2024, 3, 5)
    nh.save()
    MonthlyProgress.objects.create(project=nh, month=dt.date(2024, 4, 1), investment=Decimal(1_234_500))
    MonthlyProgress.objects.create(project=lists["HN"], month=dt.date(2024, 4, 1), investment=Decimal(1))
    client.force_login(lists["city_admin"])
    text = client.get(reverse("lists:project_list"), {"q": "NH-1", "status": "在建"}).content.decode()
    [projects] = re.findall(r'<a href="([^"]*)">导出 Excel</a>', text)
    [progress] = re.findall(r'<a href="([^"]*)">导出月度进度</a>', text)
    assert html.unescape(progress) == "/exchange/export/progress.xlsx?status=%E5%9C%A8%E5%BB%BA&q=NH-1"
    rows = sheet_rows(download(client, html.unescape(projects)), "项目")
    assert [r[0] for r in rows[1:]] == ["NH-1"]
    assert rows[1][13] == dt.date(2024, 3, 5)  # 开工日期 a date cell
    assert rows[1][6] == 1000.0  # 总投资(万元) a number in 万元
    rows = sheet_rows(download(client, html.unescape(progress)), "月度进度")
    assert rows[1:] == [["NH-1", "2024-04", 123.45, 0.0, 0.0, 0.0]]


@pytest.mark.parametrize(
    "kind", ["enterprises", "honours", "first-sets", "allocations", "statistics", "projects", "progress"]
)
def test_export_then_import_of_the_same_file_changes_nothing(client, lists, run_import, tmp_path, kind):
    from renewal.registry.models import MonthlyProgress

    MonthlyProgress.objects.create(
        project=lists["NH"], month=dt.date(2024, 4, 1), investment=Decimal("12345.67")
    )
    client.force_login(lists["city_admin"])
    path = tmp_path / f"{kind}.xlsx"
    path.write_bytes(download(client, reverse("exchange:export", args=[kind])))
    before = {m: list(m.objects.order_by("pk").values()) for m in (Honour, FirstSetProduct, Fund, Statistic)}
    report = run_import(path)
    assert report.committed and not report.errors
    assert [(s.new, s.changed) for s in report.sheets] == [(0, 0)], kind
    assert report.sheets[0].unchanged > 0
    assert before == {m: list(m.objects.order_by("pk").values()) for m in before}


@pytest.mark.parametrize("kind", ["enterprises", "honours", "first-sets", "allocations", "statistics"])
def test_a_role_that_sees_no_records_cannot_export(client, lists, kind):
    for who in ("unit", "viewer"):
        client.force_login(lists[who])
        response = client.get(reverse("exchange:export", args=[kind]))
        assert response.status_code == 403 and "明细" in response.content.decode()


def test_each_list_offers_the_template_of_its_sheet(client, lists):
    import openpyxl

    client.force_login(lists["city_admin"])
    for kind, sheet in (
        ("honours", "试点示范"),
        ("first-sets", "首台套"),
        ("allocations", "资金下达"),
        ("statistics", "统计指标"),
    ):
        wb = openpyxl.load_workbook(
            io.BytesIO(download(client, reverse("exchange:template_kind", args=[kind])))
        )
        assert wb.sheetnames == [sheet, "选项"]


def test_the_export_command_writes_the_new_lists_and_ignores_filters_a_list_lacks(lists, tmp_path, capsys):
    from django.core.management import call_command

    for kind, sheet, count in (
        ("honours", "试点示范", 3),
        ("first-sets", "首台套", 2),
        ("enterprises", "企业", 3),
    ):
        path = tmp_path / f"{kind}.xlsx"
        call_command("export", kind, "-o", str(path), "--year", "2024", "--status", "在建")
        assert f"已导出 {count} 行" in capsys.readouterr().out, kind
        assert len(sheet_rows(path.read_bytes(), sheet)) == count + 1
