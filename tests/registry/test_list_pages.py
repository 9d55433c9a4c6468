"""The registry's list pages (企业, 试点示范, 首台套, 资金下达, 统计指标): scope, filters, pager, and the links to
the export of exactly the rows on screen and to the import template."""

import html
import re

import pytest
from django.urls import reverse

from renewal.registry.models import Statistic

from .lists import ODD_NAME, fill

pytestmark = pytest.mark.django_db

PAGES = {
    "enterprises": "lists:enterprise_list",
    "honours": "lists:honour_list",
    "first-sets": "lists:first_set_list",
    "allocations": "lists:allocation_list",
    "statistics": "lists:statistic_list",
}


@pytest.fixture
def lists(people):
    return people | fill(people)


def page(client, user, name, **params):
    client.force_login(user)
    response = client.get(reverse(PAGES[name]), params)
    assert response.status_code == 200, response.status_code
    return response.content.decode()


def rows(text: str) -> list[list[str]]:
    """The table's body rows, each a list of cell texts (tags dropped)."""
    body = text.split("<tbody>", 1)[1].split("</tbody>", 1)[0]
    out = []
    for tr in re.findall(r"<tr>(.*?)</tr>", body, flags=re.S):
        cells = [
            html.unescape(re.sub(r"<[^>]+>", "", c)).strip()
            for c in re.findall(r"<td[^>]*>(.*?)</td>", tr, flags=re.S)
        ]
        if len(cells) > 1:  # not the "nothing to show" row
            out.append(cells)
    return out


def links(text: str, label: str) -> list[str]:
    return [html.unescape(h) for h in re.findall(rf'<a href="([^"]*)">{label}</a>', text)]


@pytest.mark.parametrize("name", PAGES)
def test_a_city_admin_sees_the_list_with_its_export_and_template_links(client, lists, name):
    text = page(client, lists["city_admin"], name)
    assert links(text, "导出 Excel") == [f"/exchange/export/{name}.xlsx"]
    assert links(text, "下载导入模板") == [f"/exchange/template/{name}.xlsx"]
    assert 'class="active">' in text  # its tab in the registry's sub-navigation


@pytest.mark.parametrize("name", PAGES)
@pytest.mark.parametrize("role", ["unit", "outsider", "viewer"])
def test_a_role_that_sees_no_records_is_refused(client, lists, name, role):
    client.force_login(lists[role])
    response = client.get(reverse(PAGES[name]))
    assert response.status_code == 403
    assert "不查看" in response.content.decode()


@pytest.mark.parametrize("name", PAGES)
def test_the_pages_ask_for_a_login(client, loaded_plan, name):
    response = client.get(reverse(PAGES[name]))
    assert response.status_code == 302 and "/login/" in response["Location"]


def test_the_enterprise_list_filters_by_industry_and_by_name_or_credit_code(client, lists):
    admin = lists["city_admin"]
    assert "南湖测试机械" in page(client, admin, "enterprises") and "海宁测试经编" in page(
        client, admin, "enterprises"
    )
    only_36 = page(client, admin, "enterprises", industry="36")
    assert "共 1 家企业" in only_36 and html.escape(ODD_NAME) in only_36
    by_code = page(client, admin, "enterprises", q=lists["haining"].uscc[-6:])
    assert "共 1 家企业" in by_code and "海宁测试经编" in by_code
    by_area = page(client, admin, "enterprises", area="330402")
    assert "共 2 家企业" in by_area and "海宁测试经编" not in by_area


def test_an_area_operator_sees_only_its_areas_records(client, lists):
    text = page(client, lists["op_haining"], "honours")
    assert rows(text) == [
        ["2024", "未来工厂", "国家级", "海宁测试经编有限公司", lists["haining"].uscc, "海宁市"]
    ]
    assert '<select name="area">' not in text  # no area to choose
    assert [r[:4] for r in rows(page(client, lists["op_haining"], "statistics"))] == [
        ["制造业投资", "mfg_investment", "海宁市", "2024-03"]  # the plan's name, the code to import by
    ]
    assert [r[1] for r in rows(page(client, lists["op_nanhu"], "first-sets"))] == ["数控车床", "=A&B 涂装线"]


def test_an_enterprise_user_sees_only_its_own_honours_and_no_statistics(client, lists):
    text = page(client, lists["enterprise"], "honours")
    assert [(r[1], r[3]) for r in rows(text)] == [
        ("绿色工厂", "南湖测试机械有限公司"),
        ("智能工厂", "南湖测试机械有限公司"),
    ]
    assert rows(page(client, lists["enterprise"], "statistics")) == []


def test_the_honour_list_filters_by_kind_level_year_and_enterprise(client, lists):
    admin = lists["city_admin"]
    assert "共 4 项" in page(client, admin, "honours")
    assert [r[1] for r in rows(page(client, admin, "honours", kind="绿色工厂"))] == ["绿色工厂"]
    assert "共 2 项" in page(client, admin, "honours", level="市级")
    assert "共 3 项" in page(client, admin, "honours", year="2024")
    assert [r[3] for r in rows(page(client, admin, "honours", year="2024", q="A&B"))] == [ODD_NAME]
    assert "共 3 项" in page(client, admin, "honours", year="2024", level="")  # blank = no filter


def test_the_first_set_list_filters_by_category_level_year_and_product(client, lists):
    admin = lists["city_admin"]
    assert "共 3 项" in page(client, admin, "first-sets")
    assert [r[1] for r in rows(page(client, admin, "first-sets", category="首批次"))] == ["经编机"]
    assert "共 2 项" in page(client, admin, "first-sets", level="省级")
    text = page(client, admin, "first-sets", q="涂装")
    assert "共 1 项" in text and "=A&amp;B 涂装线" in text
    assert "共 2 项" in page(client, admin, "first-sets", year="2024")


def test_the_allocation_list_shows_the_funds_of_projects_in_the_callers_area(client, lists):
    admin = lists["city_admin"]
    text = page(client, admin, "allocations")
    assert "共 2 笔" in text and "市本级工信资金" not in text  # a fund of no project is not listed
    assert rows(text) == [
        [
            "2024",
            "省级",
            "NH-1",
            "NH-1 技改项目",
            "南湖区",
            "50.00",
            "浙财企〔2024〕12号",
            "2024-06-30",
            "设备更新项目补助",
        ],
        [
            "2024",
            "国家级",
            "HN-1",
            "HN-1 技改项目",
            "海宁市",
            "123.46",
            "工信部〔2024〕3号",
            "",
            "技改项目补助",
        ],
    ]
    assert [r[2] for r in rows(page(client, admin, "allocations", level="国家级"))] == ["HN-1"]
    assert [r[2] for r in rows(page(client, admin, "allocations", q="浙财企"))] == ["NH-1"]
    assert [r[2] for r in rows(page(client, lists["op_haining"], "allocations"))] == ["HN-1"]
    assert rows(page(client, lists["enterprise"], "allocations")) == []


def test_the_statistic_list_filters_by_area_year_and_indicator(client, lists):
    admin = lists["city_admin"]
    text = page(client, admin, "statistics")
    assert "共 5 条" in text and "3,000,000,000.5" in text and "嘉兴市" in text
    assert [r[2:5] for r in rows(page(client, admin, "statistics", area="330400"))] == [
        ["嘉兴市", "2024-03", "4,000,000,000.25"]
    ]
    assert "共 2 条" in page(client, admin, "statistics", area="330402", year="2024")
    assert [r[4] for r in rows(page(client, admin, "statistics", indicator="cnc_rate"))] == ["0.615"]
    assert '<option value="cnc_rate" >规上工业企业关键工序数控化率</option>' in text


def test_the_export_link_carries_the_filters_url_encoded_and_drops_the_page(client, lists):
    text = page(client, lists["city_admin"], "enterprises", q="A&B 汽配", area="330402", page="1")
    [link] = links(text, "导出 Excel")
    assert link == "/exchange/export/enterprises.xlsx?area=330402&q=A%26B+%E6%B1%BD%E9%85%8D"
    assert "&amp;q=A%26B" in text  # the href itself is escaped HTML


def test_the_pager_keeps_the_filters(client, lists):
    Statistic.objects.bulk_create(
        Statistic(indicator="cnc_rate", area_code="330481", period=f"{y}-{m:02d}", year=y, month=m, value=1)
        for y in (2020, 2021, 2022, 2023, 2024)
        for m in range(1, 13)
    )
    text = page(client, lists["city_admin"], "statistics", indicator="cnc_rate", area="330481")
    assert "共 60 条" in text and "第 1 / 2 页" in text
    [next_page] = links(text, "下一页")
    assert next_page == "?area=330481&indicator=cnc_rate&page=2"
    assert "第 2 / 2 页" in page(
        client, lists["city_admin"], "statistics", indicator="cnc_rate", area="330481", page="2"
    )


def test_the_navigation_links_the_registry(client, lists):
    text = page(client, lists["city_reviewer"], "enterprises")
    assert '<a href="/registry/enterprises/">登记库</a>' in text
