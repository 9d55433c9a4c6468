"""The cockpit pages render the numbers of the engine, in Chinese, and fail politely."""

import pytest

pytestmark = pytest.mark.django_db
Q = {"year": 2024, "as_of": "2024-03-31"}


def test_the_overview_shows_a_card_per_applicable_target_with_its_clause(sample, client):
    page = client.get("/cockpit/", Q).content.decode()
    assert "嘉兴市设备更新行动 · 目标完成情况" in page
    assert "省级重点技术改造项目" in page and ">T1<" in page
    assert "本年度不考核：G3" in page  # G3 starts in 2025
    assert "本年序时进度 <b>25.0%</b>" in page
    assert page.count('class="tile ') == 9


def test_an_htmx_request_gets_only_the_body(sample, client):
    page = client.get("/cockpit/", Q, HTTP_HX_REQUEST="true").content.decode()
    assert page.lstrip().startswith('<div id="cp-body">') and "<html" not in page


def test_the_matrix_has_a_row_per_area_and_a_column_per_target(sample, client):
    page = client.get("/cockpit/areas/", Q).content.decode()
    assert page.count("<tr><td><a href=") == 9
    assert 'id="matrix-data"' in page


def test_the_target_page_shows_the_trend_ranking_and_areas(sample, client):
    page = client.get("/cockpit/targets/T5/", Q).content.decode()
    assert 'id="trend-data"' in page and 'id="ranking-data"' in page
    assert "海宁市" in page and "36台" in page


def test_the_records_page_sums_to_the_number(sample, client):
    from renewal.accounts.models import Role
    from tests.factories import user

    client.force_login(user("reviewer-test", Role.CITY_REVIEWER))  # the viewer reads no records
    page = client.get("/cockpit/targets/T1.equipment/records/", Q).content.decode()
    assert "✔ 合计与指标值一致" in page and "EX-001" in page and "3.50亿元" in page


def test_bad_filters_give_a_chinese_400_and_an_unknown_target_a_404(sample, client):
    response = client.get("/cockpit/", {"as_of": "昨天"})
    assert response.status_code == 400 and "截止日期" in response.content.decode()
    assert client.get("/cockpit/targets/T99/", Q).status_code == 404


def test_the_records_of_another_area_are_closed_to_an_area_operator(sample):
    from django.test import Client

    from renewal.accounts.models import Role
    from tests.factories import user

    operator = Client()
    operator.force_login(user("op-nanhu-test", Role.AREA_OPERATOR, area_id="330402"))
    url = "/cockpit/targets/T5/records/"
    assert operator.get(url, {**Q, "area": "330402"}).status_code == 200
    denied = operator.get(url, {**Q, "area": "330481"})
    assert denied.status_code == 403 and "只能查看本区域的明细" in denied.content.decode()
    assert operator.get(url, {**Q, "area": ""}).status_code == 403  # the whole city's list
    assert Client().get(url, Q).status_code == 302  # not signed in: to the login page


def test_an_area_operators_pages_open_on_its_own_area(sample):
    """Without ``area`` the cockpit and a drill-down open on the operator's area (the city's
    statistics target G1 included) instead of the city, or a refusal; ``area=`` asks for the city."""
    from django.test import Client

    from renewal.accounts.models import Role
    from tests.factories import user

    operator = Client()
    operator.force_login(user("op-nanhu-default", Role.AREA_OPERATOR, area_id="330402"))
    page = operator.get("/cockpit/", Q).content.decode()
    assert '<option value="330402" selected>' in page
    city = operator.get("/cockpit/", {**Q, "area": ""}).content.decode()
    assert '<option value="330402" selected>' not in city
    for target in ("T5", "G1"):
        response = operator.get(f"/cockpit/targets/{target}/records/", Q)
        assert response.status_code == 200, target
        assert "南湖区明细" in response.content.decode()


def test_the_pages_name_statistics_and_targets_as_the_plan_names_them(sample, client):
    """No internal id a person reads: 缺少统计数据 names 制造业投资, not mfg_investment."""
    import re

    internal = re.compile(r"\b[TGP]\d{1,2}\.[a-z_]+(?![^<]*>)|(?<![\w/.-])[a-z]+(?:_[a-z0-9]+)+(?![\w/.-])")
    for url in ("/cockpit/", "/cockpit/areas/", "/cockpit/targets/G4/", "/cockpit/targets/T1.projects/"):
        page = client.get(url, Q).content.decode()
        text = re.sub(r"<script.*?</script>|<[^>]+>", " ", page, flags=re.S)
        assert not internal.findall(text), (url, internal.findall(text)[:5])
    g4 = client.get("/cockpit/targets/G4/", Q).content.decode()
    assert "技术改造投资" in g4 and "tech_investment" not in g4
