import pytest

pytestmark = pytest.mark.django_db


def test_home_lists_every_target_with_its_clause_and_lead_units(client, loaded_plan, jiaxing):
    page = client.get("/").content.decode()
    assert "嘉兴市推进制造业领域大规模设备更新专项行动实施方案" in page
    for t in jiaxing.targets:
        assert t.display in page and t.id in page
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
