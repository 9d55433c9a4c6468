"""The ranking page: login required, every area ranked, history, annual scores, admin-only forms."""

import pytest

from renewal.accounts.models import Role
from tests import factories

pytestmark = pytest.mark.django_db


def test_the_ranking_page_needs_a_login(small_registry, client):
    assert client.get("/assessment/").status_code == 302


def test_a_viewer_sees_the_ranking_history_and_annual_scores_but_no_forms(small_registry, client):
    client.force_login(factories.user("viewer", Role.VIEWER))
    page = client.get("/assessment/", {"month": "2024-03"}).content.decode()
    assert "2024年1—3月 各区域设备更新工作考核排名" in page and "示例评分方案" in page
    assert page.count("<td>南湖区") == 1 and "排名走势" in page and "年度得分" in page
    assert "加减分项 <select" not in page


def test_a_city_administrator_records_an_adjustment_from_the_page(small_registry, client):
    client.force_login(factories.user("city-admin", Role.CITY_ADMIN))
    resp = client.post(
        "/assessment/adjustments/",
        {"year": 2024, "month": 3, "area": "330402", "item": "", "points": "1.5", "reason": "数据报送及时"},
        follow=True,
    )
    page = resp.content.decode()
    assert "已录入考核加减分" in page and "数据报送及时" in page


def test_a_bad_adjustment_answers_a_chinese_message_not_a_500(small_registry, client):
    client.force_login(factories.user("city-admin", Role.CITY_ADMIN))
    resp = client.post(
        "/assessment/adjustments/",
        {"year": 2024, "month": 3, "area": "330402", "points": "abc", "reason": "x"},
        follow=True,
    )
    assert resp.status_code == 200 and "调整分值应为数字" in resp.content.decode()
