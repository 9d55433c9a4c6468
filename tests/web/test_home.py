import pytest

pytestmark = pytest.mark.django_db


def test_home_lists_every_target_with_its_clause_and_lead_units(client, loaded_plan, jiaxing):
    page = client.get("/").content.decode()
    assert "嘉兴市推进制造业领域大规模设备更新专项行动实施方案" in page
    for t in jiaxing.targets:
        # the clause numbers (G1, T1) show, a target's own id (T1.projects) does not
        assert t.display in page and t.name in page and ("." not in t.id or t.id not in page)
    assert "330400" not in page and "330481" not in page  # areas by name only
    assert "3,000.00万元" in page  # P11.subsidy_cap from the units table, not 30000000
    assert "高新技术企业 15.0%" in page and "high_tech" not in page  # classes by the plan's labels
    assert "市自然资源和规划局" in page  # P14's lead units
    assert "新一代信息技术" in page  # T5 focus of 南湖


def test_home_without_a_plan_says_how_to_load_one(client):
    response = client.get("/")
    assert response.status_code == 503
    assert "renewal plan load" in response.content.decode()


def test_every_page_header_names_the_plans_city_and_document(client, loaded_plan):
    page = client.get("/catalogue/").content.decode()  # a page whose view knows nothing of the plan
    assert "嘉兴市制造业大规模设备更新行动平台" in page
    assert "嘉制高办〔2024〕5号" in page
